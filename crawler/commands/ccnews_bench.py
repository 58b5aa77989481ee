"""A CC-NEWS-shaped archive on 127.0.0.1, and the ccnews benchmark.

:func:`write_tree` writes ``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` and the WARC files it
lists (warcio, one gzip member per record, as Common Crawl writes them): article pages of
several domains and days, with a few non-HTML and non-2xx records among them. The tests
serve it with :class:`~newsclean.crawler.commands.demo.DemoServer`.

``python -m newsclean.crawler.commands.ccnews_bench [--pages N] [--pages-dir DIR]`` measures, on one
generated archive (article bodies generated, or real pages from ``--pages-dir``) served from a
separate process, (a) reading + filtering alone (records/s: every record's headers parsed, the
kept pages decoded, nothing cleaned), (b) the cleaner on one core (pages/s), (c) the full
``newsclean ccnews`` run, and prints a/(cores x b): how much faster reading is than cleaning
could ever go.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsclean.crawler.workers.procfs import usable_cpus

WORDS = ("harbour council budget river school minister election farmers market railway station hospital "
         "teachers court ruling weather storm bridge water prices energy factory workers union police city "
         "village mayor report survey museum festival library students project funding province coast fishing "
         "season harvest drought rainfall airport traffic road repair museum artist gallery concert theatre "
         "players coach league match final injury contract transfer company profits shares investors bank "
         "interest inflation exports imports shipping port customs border treaty talks delegation summit "
         "scientists study disease vaccine clinic doctors nurses patients research university campus").split()


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    day: date
    status: int
    content_type: str
    body: bytes

    @property
    def is_article(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
    return " ".join(words).capitalize() + "."


def article_html(title: str, paragraphs: list[str], published: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{published}'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news/'>News</a></nav>"
            f"<article><h1>{title}</h1><p class='byline'>By Staff Reporter</p>{body}</article>"
            f"<footer>Copyright the publisher</footer></body></html>")


def pages(domains: list[str], days: list[date], per_day: int, seed: int = 7,
          real: list[bytes] | None = None) -> list[Page]:
    """``per_day`` pages a day, spread over ``domains``; about one in ten is not an article page.
    Article bodies are generated, or taken in turn from ``real`` pages."""
    rng = random.Random(seed)
    out = []
    for day in days:
        for i in range(per_day):
            domain = domains[i % len(domains)]
            url = f"https://www.{domain}/{day:%Y/%m/%d}/story-{i}-{rng.randrange(10**6)}"
            kind = i % 10
            if kind == 7:
                out.append(Page(url + ".jpg", day, 200, "image/jpeg", b"\xff\xd8\xff" + rng.randbytes(300)))
            elif kind == 8:
                out.append(Page(url + "-old", day, 301, "text/html", b""))
            elif real:
                out.append(Page(url, day, 200, "text/html; charset=utf-8", real[len(out) % len(real)]))
            else:
                title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
                paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(4)]
                html = article_html(title, paragraphs, f"{day}T08:00:00+00:00")
                out.append(Page(url, day, 200, "text/html; charset=utf-8", html.encode()))
    return out


def write_warc(path: Path, records: list[Page]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.0")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsclean test archive"}))
        for page in records:
            headers = [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
            if page.status == 301:
                headers.append(("Location", page.url[:-4]))
            http = StatusAndHeaders(f"{page.status} {'OK' if page.status == 200 else 'Moved Permanently'}",
                                    headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(page.url, "response", payload=io.BytesIO(page.body),
                                               length=len(page.body), http_headers=http,
                                               warc_headers_dict={"WARC-Date": f"{page.day}T09:30:00Z"})
            writer.write_record(record)


def write_tree(root: Path, domains: list[str], days: list[date], per_day: int, files_per_day: int = 2,
               seed: int = 7, real: list[bytes] | None = None) -> dict[str, list[Page]]:
    """The archive under ``root``; returns the pages of each WARC file (its listed path)."""
    by_file: dict[str, list[Page]] = {}
    all_pages = pages(domains, days, per_day, seed, real)
    for day in days:
        todays = [p for p in all_pages if p.day == day]
        for n in range(files_per_day):
            path = f"crawl-data/CC-NEWS/{day:%Y/%m}/CC-NEWS-{day:%Y%m%d}{n:02d}0000-{n:05d}.warc.gz"
            by_file[path] = todays[n::files_per_day]
            write_warc(root / path, by_file[path])
    for month in sorted({(d.year, d.month) for d in days}):
        listed = [p for p in by_file if p.startswith(f"crawl-data/CC-NEWS/{month[0]}/{month[1]:02d}/")]
        listing = root / f"crawl-data/CC-NEWS/{month[0]}/{month[1]:02d}/warc.paths.gz"
        listing.write_bytes(gzip.compress(("\n".join(listed) + "\n").encode()))
    return by_file


# -- the benchmark -----------------------------------------------------------------------------

def _serve(root: Path) -> tuple[subprocess.Popen[str], str]:
    """The archive served by another process (the reading measured here is not slowed by it)."""
    code = ("import sys, time\nfrom newsclean.crawler.commands.demo import DemoServer\n"
            "s = DemoServer(sys.argv[1]).start()\nprint(s.base_url, flush=True)\ntime.sleep(10**6)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(root)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip() + "/"


def bench_read(base: str, files: list[str], domains: frozenset[str] = frozenset()) -> tuple[int, int, float]:
    """(records read, pages kept, seconds): reading + filtering + decoding, no cleaning."""
    import scrapy.http  # noqa: F401 - imported before the clock starts, as in a run
    import scrapy.responsetypes  # noqa: F401

    from newsclean.crawler.commands.ccnews import DomainFilter, Fetcher, Kept, ReadCounts, read_warc

    counts = ReadCounts()
    stop = threading.Event()
    t0 = time.perf_counter()
    for path in files:
        for event in read_warc(base + path, DomainFilter(domains), Fetcher(), counts, stop):
            assert isinstance(event, Kept), event
    return counts.records, counts.kept, time.perf_counter() - t0


def bench_clean(htmls: list[tuple[str, str]]) -> float:
    """Pages/s of the cleaner on one core (the crawl's clean_html, generic rules)."""
    from newsclean.cleaners import clean_html

    t0 = time.perf_counter()
    for html, url in htmls:
        clean_html(html, url)
    return len(htmls) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsclean.crawler.commands.ccnews_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3000, help="records in the archive (default: %(default)s)")
    parser.add_argument("--clean-sample", type=int, default=300, help="pages cleaned for (b) (default: %(default)s)")
    parser.add_argument("--pages-dir", metavar="DIR",
                        help="article bodies from these real pages (*.html, *.htm, *.html.gz), taken in turn")
    parser.add_argument("--no-full", action="store_true", help="skip (c), the full newsclean ccnews run")
    args = parser.parse_args(argv)
    real = None
    if args.pages_dir:
        from newsclean.crawler.commands.bench import load_real_pages

        # as the crawl bench refuses it: an empty list was a run on generated pages, said as real ones
        if not Path(args.pages_dir).is_dir():
            parser.error(f"--pages-dir {args.pages_dir}: not a directory")
        real = load_real_pages(Path(args.pages_dir))
        if not real:
            parser.error(f"--pages-dir {args.pages_dir}: no *.html, *.htm or *.html.gz files in it")
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(3)]
    domains = ["alpha.example", "beta.example", "gamma.example", "delta.example"]
    cores = usable_cpus()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        by_file = write_tree(root, domains, days, per_day=args.pages // len(days), files_per_day=2, real=real)
        size = sum((root / p).stat().st_size for p in by_file)
        server, base = _serve(root)
        try:
            records, kept, seconds = bench_read(base, list(by_file))
            read_rate = records / seconds
            print(f"(a) read + filter, no cleaning, every domain kept: {records} records ({kept} pages kept,"
                  f" {size / 1e6:.1f} MB) in {seconds:.2f} s = {read_rate:.0f} records/s, {size / 1e6 / seconds:.1f} MB/s")
            _, kept1, seconds1 = bench_read(base, list(by_file), frozenset(domains[:1]))
            print(f"    one domain of {len(domains)} kept: {kept1} pages kept in {seconds1:.2f} s ="
                  f" {records / seconds1:.0f} records/s")
            sample = [(p.body.decode("utf-8", "replace"), p.url) for ps in by_file.values()
                      for p in ps if p.is_article][:args.clean_sample]
            clean_rate = bench_clean(sample)
            print(f"(b) cleaning on one core: {clean_rate:.1f} pages/s; {cores} cores x b = {cores * clean_rate:.1f} pages/s")
            print(f"    a / (cores x b) = {read_rate / (cores * clean_rate):.1f}")
            if not args.no_full:
                out = Path(tmp) / "out"
                env = {**os.environ, "NEWSCLEAN_CCNEWS_BASE_URL": base}
                t0 = time.perf_counter()
                proc = subprocess.run([sys.executable, "-m", "newsclean.crawler.commands.cli", "ccnews", "--from", str(days[0]),
                                       "--to", str(days[-1]), "--out", str(out)], env=env, capture_output=True, text=True)
                seconds = time.perf_counter() - t0
                written = sum(1 for f in (out / "articles").rglob("*.jsonl") for _ in f.open())
                print(f"(c) newsclean ccnews, read + clean + write: {records} records, {written} articles in {seconds:.1f} s"
                      f" = {records / seconds:.1f} records/s ({written / seconds:.1f} articles/s; exit {proc.returncode})")
        finally:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
