"""darkbeam.io"""
