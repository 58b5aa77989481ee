"""Tests of newsclean.cleaners (no Scrapy): pages in ../fixtures/cleaners and ../fixtures/templates."""
