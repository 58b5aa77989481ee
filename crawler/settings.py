"""Scrapy settings of the newsclean project.

Every newsclean setting is prefixed ``NEWSCLEAN_`` and documented in ``docs/settings.md``;
override any of them with ``-s NAME=VALUE`` (``scrapy crawl`` and ``newsclean crawl`` alike).
"""

import logging
import os
import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import default_settings

# spidermon 1.27 and scrapy-redis 0.9.1 still use APIs Scrapy deprecated; the warnings say
# nothing an operator can act on.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"(spidermon|scrapy_redis)\.")

# Scrapy logs every overridden setting at start: keep a Redis password out of that line.
from newsclean.crawler.state.redis_state import RedactSecrets  # noqa: E402

logging.getLogger("scrapy.crawler").addFilter(RedactSecrets())

BOT_NAME = "newsclean"
SPIDER_MODULES = ["newsclean.crawler.spiders"]
NEWSPIDER_MODULE = "newsclean.crawler.spiders"
SPIDER_LOADER_CLASS = "newsclean.crawler.spiders.sites.SiteSpiderLoader"   # + a spider per registered site
COMMANDS_MODULE = "newsclean.crawler.commands.crawl"   # scrapy crawl: a bad spider name or -a is one line

# -- newsclean -------------------------------------------------------------------------------
# put yours (-s, or the environment's NEWSCLEAN_CONTACT_URL: a cron job's export was ignored): sites may need to reach you
NEWSCLEAN_CONTACT_URL = os.environ.get("NEWSCLEAN_CONTACT_URL") or "https://github.com/newsclean/newsclean"
NEWSCLEAN_OUTPUT_DIR = None          # set: write part files, rejects, manifest and state there
NEWSCLEAN_STATE_DIR = None           # default: <NEWSCLEAN_OUTPUT_DIR>/state
NEWSCLEAN_STORE_ENABLED = True       # the article store: fetch only what is new or changed
NEWSCLEAN_RUN_ID = None              # default: a new id per run (output.manifest.new_run_id)
NEWSCLEAN_OUTPUT_COMPRESSION = ""    # part files: "" (.jsonl), "gzip" (.jsonl.gz) or "zstd" (.jsonl.zst)
NEWSCLEAN_LANGUAGES = []             # ISO 639-1 codes to keep (e.g. ["en", "ur"]); others -> rejects (language); [] = all
NEWSCLEAN_PART_MAX_RECORDS = 500     # a part file is committed (renamed) after this many records
NEWSCLEAN_CLEAN_TIMEOUT = 10.0       # seconds of cleaning per page before Rejected("timeout")
NEWSCLEAN_RETRY_BACKOFF = 600        # seconds before a failed page is fetched again (a later run), doubled per failure
NEWSCLEAN_RETRY_MAX_ATTEMPTS = 5     # failures in a row after which a page is given up
NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES = False  # fetch private/loopback/link-local hosts not named by the site
NEWSCLEAN_PROGRESS_INTERVAL = 0      # seconds; 0 = 1 on a terminal, 60 under cron; < 0 = off
NEWSCLEAN_GC_FREEZE = True          # freeze start-up objects out of the garbage collector (shorter pauses)
NEWSCLEAN_WRITE_MANIFEST = True      # the `newsclean` CLI writes one manifest for all its spiders instead
NEWSCLEAN_DEDUP_ENABLED = True       # mark copies of earlier records (exact and near) across runs
NEWSCLEAN_DUPLICATES = "keep"        # keep: write with duplicate_of set; drop: reject with reason duplicate
NEWSCLEAN_DEDUP_THRESHOLD = 0.5      # MinHash Jaccard of 5-word shingles from which a text is a copy
NEWSCLEAN_MAX_SITEMAPS = 1000       # sitemaps and feeds fetched per site per run (0 = unbounded); the rest: discovery/cut/sitemaps
NEWSCLEAN_MAX_SITEMAP_DEPTH = 3      # sitemap indexes nested below the first document; deeper: discovery/cut/sitemap_depth
NEWSCLEAN_MAX_SECTION_PAGES = 200    # section (pagination) pages fetched per site per run, all sections together (0 = unbounded)
NEWSCLEAN_CCNEWS_BASE_URL = None     # newsclean ccnews: archive root (default https://data.commoncrawl.org/; or the env var)
NEWSCLEAN_CCNEWS_TIMEOUT = 60.0      # seconds without a byte from the archive before a retry
NEWSCLEAN_CCNEWS_RETRIES = 5         # retries of a failed or stalled read, from the record it broke in
NEWSCLEAN_CCNEWS_BACKOFF = 2.0       # seconds before the first retry; doubled each time
NEWSCLEAN_WARC_ENABLED = False       # archive every request/response in OUT/warc/<run_id>-<site>.warc.gz (crawl --warc)
NEWSCLEAN_CLEAN_ENABLED = True       # False: fetch only, drop every page uncleaned (benchmarks)
NEWSCLEAN_CLEAN_WORKERS = None       # cleaning processes (one pool for all the run's sites); None: one per core; 0: inline, on the reactor thread
NEWSCLEAN_CONCURRENT_SITES = 8       # sites crawled at once in one run; the next starts as one finishes
NEWSCLEAN_STALL_PROBE = False        # count reactor stalls (newsclean/reactor/stalls)
NEWSCLEAN_STALL_REPORT_MS = 200      # a turn of the reactor loop this long (ms) counts as a stall

# -- politeness ------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
USER_AGENT = None                    # built from NEWSCLEAN_CONTACT_URL by UserAgentFromContact
ROBOTSTXT_USER_AGENT = "newsclean"   # the product token robots.txt groups are matched against
ROBOTSTXT_PARSER = "newsclean.crawler.components.middlewares.BomRobotParser"   # Protego, the file read by its byte order mark
NEWSCLEAN_ROBOTSTXT_MAX_BYTES = 500 * 1024   # a robots.txt is read to its first 500 KiB (RFC 9309 2.5, as Google), to the last whole line
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOADER = "newsclean.crawler.components.politeness.PoliteDownloader"   # the per-domain bound holds at any delay; Retry-After pauses
NEWSCLEAN_INFLIGHT_BYTES = 6 * 1024 * 1024   # bodies waiting for the pipelines + downloads in progress; no new request past it
NEWSCLEAN_RETRY_AFTER_MAX = 120.0    # seconds: a site's Retry-After (429/503) is honoured up to this
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024   # a news page is < 2 MB; a 10 MB body is not an article
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
# Per response, not global (scrapy#6852): Scrapy starts this many tasks for every response's
# output. An article page yields one item, a listing's URLs wait in the spider's frontier, so
# the default 100 only cost CPU (fetch-only crawl: 8.5 -> 7.1 ms of main-process CPU a page).
CONCURRENT_ITEMS = 1
TELNETCONSOLE_ENABLED = False
STATS_CLASS = "newsclean.crawler.components.extensions.QuickStatsCollector"   # Scrapy's, without a wrapper on every read: ~0.2 ms a page

ADDONS = {
    "newsclean.crawler.state.redis_state.RedisAddon": 0,   # NEWSCLEAN_REDIS_URL set -> scrapy-redis scheduler and dupefilter
}
NEWSCLEAN_REDIS_URL = None           # redis://[user:password@]host:port/db or rediss:// (TLS); or the env var
NEWSCLEAN_REDIS_NAMESPACE = "newsclean"   # key prefix: one namespace per crawl deployment
NEWSCLEAN_WORKER_ID = None           # default: <hostname>-<pid>

DOWNLOADER_MIDDLEWARES = {
    "newsclean.crawler.components.middlewares.HostProxyMiddleware": 30,      # the demo's proxy, before the guard that trusts it
    "newsclean.crawler.components.middlewares.AddressGuardMiddleware": 40,   # before offsite and robots.txt: every request passes it
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsclean.crawler.components.middlewares.OneFetchRobotsTxtMiddleware": 100,   # Scrapy's; its answer serves the spider's robots.txt request
    "newsclean.crawler.components.middlewares.UserAgentFromContact": 500,
    "newsclean.crawler.components.politeness.RetryAfterMiddleware": 560,      # sees a 429/503 before RetryMiddleware (550) retries it
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsclean.crawler.components.middlewares.HeadMetaRefreshMiddleware": 580,   # Scrapy's, without decoding every page whole
    "newsclean.crawler.components.middlewares.RobotsTxtDecodingMiddleware": 595,   # robots.txt inflated to its first NEWSCLEAN_ROBOTSTXT_MAX_BYTES, before HttpCompression (590)
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "newsclean.crawler.components.warc.WarcMiddleware": 950,                 # next to the downloader: raw responses, redirects included
}
SPIDER_MIDDLEWARES = {
    "newsclean.crawler.state.redis_state.InflightSpiderMiddleware": 50,   # Redis only: discovery settled once scheduled
}
ITEM_PIPELINES = {
    "newsclean.crawler.components.pipelines.CleanPipeline": 300,
    "newsclean.crawler.components.dedup.DedupPipeline": 500,
    "newsclean.crawler.components.pipelines.OutputPipeline": 900,
}
# No listening ports on a cron crawler: Scrapy's remote control is left out of the base list
# (a None in EXTENSIONS imports the class to name it, and with it aiohttp: 9 MB of the crawl's main process).
EXTENSIONS_BASE = {path: order for path, order in default_settings.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {
    "newsclean.crawler.components.logs.OneLineLogs": 100,
    "newsclean.crawler.state.redis_state.Coordinator": 300,               # Redis only: heartbeat, recovery, the end
    "newsclean.crawler.components.extensions.ClosingMonitors": 400,   # spidermon, loaded at close; before the manifest: it reads the checks
    "newsclean.crawler.components.extensions.RunManifestExtension": 500,
    "newsclean.crawler.components.extensions.DiskFullStop": 510,
    "newsclean.crawler.components.extensions.GcFreeze": 550,
    "newsclean.crawler.components.extensions.HeapTrim": 560,
    "newsclean.crawler.components.progress.Progress": 600,
}
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("newsclean.crawler.components.monitors.HealthSuite",)

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
