"""Whole runs of the real command and what they write."""
