"""The address guard: no request to private, loopback or link-local hosts the site did not name."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsclean.crawler.middlewares import AddressGuardMiddleware, UserAgentFromContact, is_private_address
from newsclean.crawler.spiders.news import NewsSpider
from newsclean.crawler.sites import adhoc_site


@pytest.mark.parametrize("host,private", [
    ("169.254.169.254", True), ("10.1.2.3", True), ("127.0.0.1", True), ("192.168.0.1", True),
    ("[::1]", True), ("::ffff:10.0.0.1", True), ("localhost", True), ("fe80::1", True),
    ("93.184.216.34", False), ("example.com", False),
])
def test_is_private_address(host: str, private: bool) -> None:
    assert is_private_address(host) is private


def guard_for(urls: list[str], **settings: object) -> AddressGuardMiddleware:
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    crawler.spider = NewsSpider(site=adhoc_site(urls))
    return AddressGuardMiddleware.from_crawler(crawler)


def test_metadata_address_is_refused_and_counted() -> None:
    guard = guard_for(["https://example.com/"])
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://169.254.169.254/latest/meta-data/"))
    assert guard.stats.get_value("newsclean/guard/refused_private") == 1


def test_site_own_private_host_is_allowed() -> None:
    guard = guard_for(["http://127.0.0.1:8080/"])
    assert guard.process_request(Request("http://127.0.0.1:8080/2026/01/02/x/")) is None


def test_setting_allows_private_addresses() -> None:
    guard = guard_for(["https://example.com/"], NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES=True)
    assert guard.process_request(Request("http://10.0.0.1/")) is None


def test_other_schemes_are_never_fetched() -> None:
    guard = guard_for(["https://example.com/"], NEWSCLEAN_ALLOW_PRIVATE_ADDRESSES=True)
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("file:///etc/passwd"))
    assert guard.stats.get_value("newsclean/guard/refused_scheme") == 1


def test_name_resolving_to_private_address_is_dropped_on_response() -> None:
    from ipaddress import ip_address

    guard = guard_for(["https://example.com/"])
    request = Request("https://intranet.example.com/2026/01/02/x/")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request, ip_address=ip_address("10.0.0.7"))
    with pytest.raises(IgnoreRequest):
        guard.process_response(request, response)
    public = HtmlResponse(request.url, body=b"<html></html>", request=request, ip_address=ip_address("93.184.216.34"))
    assert guard.process_response(request, public) is public


def test_user_agent_names_the_contact_url() -> None:
    crawler = get_crawler(NewsSpider, settings_dict={"NEWSCLEAN_CONTACT_URL": "https://lab.example/crawler"})
    mw = UserAgentFromContact.from_crawler(crawler)
    request = Request("https://example.com/")
    mw.process_request(request)
    ua = request.headers[b"User-Agent"].decode()
    assert ua.startswith("newsclean/") and "+https://lab.example/crawler" in ua
