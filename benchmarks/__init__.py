"""Benchmarks of the course site and its autograder, run by thin management commands (see README)."""
