"""Tests of the command line: conventions, errors, outputs, and the commands of their own (ccnews, benches)."""
