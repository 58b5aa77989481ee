"""Scrapy components: middlewares, pipelines, extensions, health checks (the cleaning pool they feed is :mod:`newsclean.crawler.workers`)."""
