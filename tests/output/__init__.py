"""Tests of newsclean.output: records, part files, SQLite, the duplicate index."""
