"""darkbeam.decays"""
