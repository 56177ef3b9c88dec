"""darkbeam.sources"""
