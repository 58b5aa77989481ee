"""The run's status and reason from its stats (crawler/components/health.py)."""

from newsclean.crawler.components.health import HEALTH_STATS, UNCLEANED_STAT, assess


def _passed(**counts: int) -> dict[str, object]:
    # a finished run whose health check passed, as the monitors leave its stats
    return {"finish_reason": "finished", f"{HEALTH_STATS}/articles_written": "OK", **counts}


def test_the_reason_counts_in_the_number_of_its_count() -> None:
    # the manifest's reason said '1 articles written' (ux22's audit)
    for written, said in ((1, "1 article written"), (2, "2 articles written"), (0, "0 articles written")):
        assert assess(_passed(**{"newsclean/output/records_written": written}))[:2] == ("ok", said)
    status, reason, _ = assess(_passed(**{"newsclean/output/records_written": 0, UNCLEANED_STAT: 1}))
    assert (status, reason) == ("ok", "0 articles written, 1 page fetched only (cleaning off)")
