"""Scrapy components (middlewares, pipelines, extensions) and the cleaning pool they feed."""
