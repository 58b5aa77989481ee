"""An item a pipeline fails on with an error no one expected: counted, the run degraded (a real
crawl on 127.0.0.1, a pipeline of this module's failing on one page)."""

from __future__ import annotations

from pathlib import Path

import orjson

from newsclean.crawler.hostile import XML, HostileServer, article_html, urlset
from newsclean.crawler.settings import ITEM_PIPELINES

from ...conftest import read_parts, run_newsclean
from .test_politeness import FAST


class FailOnStoryOne:
    """Raises on the record of story 1, before the output pipeline writes it (as the JSONL writer
    raised on a lone surrogate)."""

    def process_item(self, item):
        record = getattr(item, "record", None)   # an ArticleItem's, once cleaned
        if record is not None and "/story-1-" in record["url"]:
            raise ValueError("a record no one expected")
        return item


def test_an_item_a_pipeline_fails_on_is_counted_and_degrades_the_run(tmp_path: Path) -> None:
    # Before: the record lost behind one ERROR line (Scrapy's 'Error processing'), the run 'ok',
    # exit 0, nothing counted: cron saw a good run.
    server = HostileServer()
    try:
        server.route(r"/a/story-(\d)-of-the-day/", lambda m, h: article_html(int(m[1])))
        server.page("/sitemap.xml", urlset([server.url(f"/a/story-{i}-of-the-day/") for i in range(3)]), XML)
        pipelines = {**ITEM_PIPELINES, f"{__name__}.FailOnStoryOne": 850}
        proc = run_newsclean("crawl", "--url", server.url("/sitemap.xml"), "--out", str(tmp_path / "out"), *FAST,
                             "-s", f"ITEM_PIPELINES={orjson.dumps(pipelines).decode()}")
    finally:
        server.stop()
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert len(read_parts(tmp_path / "out")) == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        "newsclean: degraded: 1 page failed in an item pipeline with an unexpected error, not written "
        "(the ERROR lines above say which)"), proc.stderr[-3000:]
    (manifest,) = (tmp_path / "out" / "manifests").glob("*.json")
    assert orjson.loads(manifest.read_bytes())["counts"]["newsclean/output/items_failed"] == 1
