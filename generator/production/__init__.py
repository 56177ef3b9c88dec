"""darkbeam.production"""
