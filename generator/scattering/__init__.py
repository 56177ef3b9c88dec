"""darkbeam.scattering"""
