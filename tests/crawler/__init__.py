"""Tests of newsclean.crawler, one part each (many run real crawls on 127.0.0.1)."""
