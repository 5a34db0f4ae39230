"""Reusable test support: a scripted loopback HTTP server and its pytest fixture."""
