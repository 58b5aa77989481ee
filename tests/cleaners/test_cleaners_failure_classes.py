"""Failure classes of issue #13 (point 3) that no other test covered: pages written for this
project, modelled on the markup of real themes (a newsletter platform's post, a newsroom's
WordPress story, embed codes as the platforms hand them out). docs/quality.md ("Failure classes
of issue 13") maps every class to its fixture and test, here or in the other test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html

from .test_cleaners_body import PARAS, URL   # the same story, with an embed in it

FIXTURES = Path(__file__).parent.parent / "fixtures" / "cleaners"
POST = "Lamp is back on at the headland tonight, first time since November!"

#: Embed codes as the platforms hand them out (a blockquote the platform's script turns into a card).
EMBEDS = {
    "instagram": ("<blockquote class='instagram-media' data-instgrm-permalink='https://www.instagram.com/p/Cx1/' "
                  "data-instgrm-version='14'><div><a href='https://www.instagram.com/p/Cx1/'><p>" + POST + "</p></a>"
                  "<p><a href='https://www.instagram.com/p/Cx1/'>A post shared by Harbour Watch (@harbourwatch)</a>"
                  "</p></div></blockquote>"),
    "bluesky": ("<blockquote class='bluesky-embed' data-bluesky-uri='at://did:plc:abc/app.bsky.feed.post/3k' "
                "data-bluesky-cid='bafy'><p lang='en'>" + POST + "</p>&mdash; Harbour Watch (<a href='https://bsky.app/"
                "profile/did:plc:abc'>@harbourwatch.bsky.social</a>) <a href='https://bsky.app/profile/did:plc:abc/"
                "post/3k'>March 4, 2025 at 9:12 PM</a></blockquote>"),
    "tiktok": ("<blockquote class='tiktok-embed' cite='https://www.tiktok.com/@harbourwatch/video/7' data-video-id='7'>"
               "<section><a href='https://www.tiktok.com/@harbourwatch'>@harbourwatch</a><p>" + POST + "</p>"
               "<a href='https://www.tiktok.com/music/original-sound-7'>♬ original sound - Harbour Watch</a>"
               "</section></blockquote>"),
    # a video's caption under the player, as the block editor's YouTube embed writes it
    "youtube": ("<figure class='wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube'><div "
                "class='wp-block-embed__wrapper'><iframe src='https://www.youtube.com/embed/abc'></iframe></div>"
                "<figcaption class='wp-element-caption'>" + POST + "</figcaption></figure>"),
}


def _story(middle: str) -> str:
    return ("<html><head><title>Harbour light returns</title></head><body>"
            "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main><article><h1>Harbour light returns</h1><div class='entry-content'><p>{PARAS[0]}</p>"
            f"<p>{PARAS[1]}</p>{middle}<p>{PARAS[2]}</p><p>{PARAS[3]}</p></div></article></main>"
            "<footer><p>Harbour Daily, 1 Quay Street</p></footer></body></html>")


@pytest.mark.parametrize("platform", sorted(EMBEDS))
def test_embedded_posts_of_every_platform_stay_out_alike(platform: str) -> None:
    # The class "embedded posts" was measured and the behaviour kept: a post inside the story stays
    # out of the body (test_embedded_posts_and_subscriber_notices_are_not_body says why, for tweets).
    # A Bluesky post was kept where a tweet, an Instagram or a TikTok post went.
    result = clean_html(_story(EMBEDS[platform]), URL)
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS


#: Sign-up cards and buttons of newsletter platforms as their editors insert them in a post.
PLATFORM_BUTTONS = {
    "ghost-signup-card": ("<div class='kg-card kg-signup-card kg-width-regular' data-lexical-signup-form><div "
                          "class='kg-signup-card-content'><div class='kg-signup-card-text'><h2 class='kg-signup-card-"
                          "heading'>Sign up for Harbour Notes</h2><p class='kg-signup-card-subheading'>Tide tables, "
                          "gauges and the harbour's news, every Tuesday.</p><form class='kg-signup-card-form' "
                          "data-members-form='signup'><input class='kg-signup-card-input' type='email' placeholder="
                          "'Your email'><button class='kg-signup-card-button' type='submit'><span>Subscribe</span>"
                          "</button></form></div></div></div>"),
    "ghost-button-card": ("<div class='kg-card kg-button-card kg-align-center'><a href='#/portal/signup' "
                          "class='kg-btn kg-btn-accent'>Subscribe to Harbour Notes</a></div>"),
    "substack-comment-button": ("<p class='button-wrapper' data-component-name='ButtonCreateButton'><a class='button "
                                "primary' href='https://harbournotes.example/p/tide-tables/comments'><span>Leave a "
                                "comment</span></a></p>"),
}


@pytest.mark.parametrize("platform", [
    "ghost-button-card", "substack-comment-button",
    # the card's pitch line stayed ('sign-?up' as a widget class token took it but cost trafilatura-eval's
    # check half article text): the box around its sign-up form goes (calls_to_action._signup_fields)
    "ghost-signup-card",
])
def test_newsletter_platforms_sign_up_cards_and_buttons_are_not_body(platform: str) -> None:
    result = clean_html(_story(PLATFORM_BUTTONS[platform]), URL)
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS


NEWSLETTER_URL = "https://harbournotes.example/p/tide-tables"
NEWSLETTER_ARTICLE = ["For three weeks in March the printed tide tables", "The tables are computed each winter",
                      "The new gauge reports its readings in centimetres", "Nobody caught it because the error",
                      "The harbour office has reprinted the tables", "Next week: what the gauge on the south pier"]
STORY_URL = "https://harbourdaily.example/2025/06/12/pontoon-plan/"
STORY_ARTICLE = ["The council approved the new visitor pontoon", "The plan moves the visiting yachts",
                 "Councillors who voted against it", "The harbour master said work would start",
                 "The sailing club said it would appeal"]

_NOT_YET = "xfail(strict): the cleaner keeps it; see docs/quality.md, 'Failure classes of issue 13'"


@pytest.mark.parametrize("page, url, snippet", [
    # a newsletter platform's subscribe widget inside the post, and its Share button
    ("cta_newsletter_post.html", NEWSLETTER_URL, "reader-supported publication"),
    ("cta_newsletter_post.html", NEWSLETTER_URL, "Subscribe"),
    ("cta_newsletter_post.html", NEWSLETTER_URL, "Share"),
    # "Other <Site> Top Stories": its list went with the link-dense pruning, its label stayed
    ("cta_news_story.html", STORY_URL, "Top Stories"),
    ("cta_news_story.html", STORY_URL, "Ferry timetable"),
    # a donation appeal in a box no class names: a heading, a line and a button to the donation page
    ("cta_news_story.html", STORY_URL, "nonprofit newsroom"),
    ("cta_news_story.html", STORY_URL, "Support local journalism"),
    # the writer's staff card after the last paragraph: her name and her job title
    ("cta_news_story.html", STORY_URL, "Senior Council Reporter"),
    pytest.param("cta_newsletter_post.html", NEWSLETTER_URL, "HARBOUR15", marks=pytest.mark.xfail(
        strict=True, reason=f"{_NOT_YET}: a discount code in a plain paragraph of the body; WCXB's truth "
        "counts such a code as the article's ('use code ... for 10% off' is a must-have snippet)")),
])
def test_calls_to_action_are_not_body(page: str, url: str, snippet: str) -> None:
    result = clean_html((FIXTURES / page).read_bytes(), url)
    assert isinstance(result, Article), result
    lines = result.text.split("\n")
    article = NEWSLETTER_ARTICLE if page == "cta_newsletter_post.html" else STORY_ARTICLE
    starts = [next((i for i, line in enumerate(lines) if line.startswith(a)), -1) for a in article]
    assert -1 not in starts and starts == sorted(starts), result.text   # the article, whole and in order
    assert snippet not in result.text


def test_a_staff_card_goes_only_as_the_writers_name_and_job_title_ending_the_body() -> None:
    from newsclean.cleaners.body_lines.lines import drop_trailing_author_box

    body = PARAS[:3]
    card = ["Rosa Delacroix", "Senior Council Reporter"]
    assert drop_trailing_author_box([*body, *card], ["Rosa Delacroix"]) == (body, sum(map(len, card)))
    # another writer's card, a line after the title, a line that is no job title, or a title in
    # lower case (a sentence) stays
    for lines, authors in [([*body, *card], ["Tom Okafor"]),
                           ([*body, *card, "Photographs by the harbour authority"], ["Rosa Delacroix"]),
                           ([*body, "Rosa Delacroix", "Photographs by the harbour authority"], ["Rosa Delacroix"]),
                           ([*body, "Rosa Delacroix", "Thanks to our editor"], ["Rosa Delacroix"])]:
        assert drop_trailing_author_box(lines, authors) == (lines, 0), lines


def test_a_link_to_a_donation_page_in_the_articles_own_sentence_stays() -> None:
    # a paragraph (or an item) naming the fund is the article's: the walk up from the link stops there
    said = ("<p>The museum has opened an appeal for the lamp's upkeep, and readers can give through "
            "<a href='https://museum.example/donate/'>the museum's donation page</a> until the end of May.</p>")
    listed = ("<ul><li>Give to the keepers' fund at <a href='https://fund.example/donations'>fund.example</a>"
              "</li><li>Volunteer on the first Sunday of each month</li></ul>")
    for middle, kept in ((said, "readers can give through the museum's donation page"),
                         (listed, "Give to the keepers' fund at fund.example")):
        result = clean_html(_story(middle), URL)
        assert isinstance(result, Article), result
        assert kept in result.text, middle



@pytest.mark.parametrize("box", [
    # a Tailwind box: a pitch and a button-shaped link standing alone, no class naming either
    "<div class='grid'><div class='col-span-5'><h2>Centralize, simplify and scale your training with Easy LMS!</h2>"
    "<a class='inline-flex rounded-full px-5' href='/demo'>Book a demo</a></div></div>",
    # a block editor's group: a pitch and a styled button to a registration page
    "<div class='wp-block-group has-background'><p>If your starter will not take off, join my free workshop "
    "and learn the right way.</p><div class='wp-block-buttons'><div class='wp-block-button'>"
    "<a class='wp-block-button__link' href='https://shop.example/webinar-registration/'>Save my seat</a>"
    "</div></div></div>",
    # an address in capitals, each word of SIGNUP_HREF found by the walk's lead test ("register"
    # was not, once: "registr" is no part of it)
    "<div class='grid'><div class='col-span-5'><h2>Tour the lamp room with its keepers at our open day!</h2>"
    "<a class='inline-flex rounded-full px-5' href='/events/Register'>Save a place</a></div></div>",
])
def test_a_small_box_around_a_button_to_a_sign_up_page_is_not_body(box: str) -> None:
    # qleak13: a call to action inside the body, named by nothing but where its button leads
    result = clean_html(_story(box), URL)
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS, result.text


@pytest.mark.parametrize("href", ["/politics/democratic-party-wins-the-harbour-seat", "/pl/dane-demograficzne",
                                  "/business/industrial-port-expansion", "/remember-the-storm-of-1953"])
def test_a_box_around_a_button_to_an_address_holding_a_sign_up_word_inside_a_word_stays(href: str) -> None:
    # SIGNUP_HREF's words are words of the address: "demo" inside "democratic", "trial" inside
    # "industrial", "member" inside "remember" name no sign-up page (the box went, tidy20)
    box = ("<div class='grid'><div class='col-span-5'><h2>The vote that decides the harbour's next ten years</h2>"
           f"<a class='inline-flex rounded-full px-5' href='{href}'>Read the analysis</a></div></div>")
    result = clean_html(_story(box), URL)
    assert isinstance(result, Article), result
    assert "The vote that decides the harbour's next ten years\nRead the analysis" in result.text, result.text


def test_a_sign_up_address_is_read_by_its_words() -> None:
    # a word opens with a sign-up word (demo, trial, join, quote: the whole word), between
    # non-letters, after an escape, or at a capital after a small letter
    from newsclean.cleaners.dom import names_signup

    for path in ("/newsletters/", "/membership", "/contactus", "/book-a-demo", "/free-trial/", "next=%2Fmembership",
                 "/onsiteSignupLandingPage", "/signUp", "/NewsLetter/NewsJam", "/opt-in", "/events/Register", "/join"):
        assert names_signup(path), path
    for path in ("/democratic-party", "/dane-demograficzne", "/industrial", "/remember", "/joint-venture",
                 "/insolvenzquoten", "/adopting", "/democracyNow"):
        assert not names_signup(path), path


def test_a_link_to_a_sign_up_page_in_the_articles_own_text_stays() -> None:
    # a sentence linking the page (a paragraph, an item) and a link that is no button stay
    said = ("<p>The harbour board has <a href='/join-the-board/'>opened two seats</a> to residents who "
            "sign up before the end of May.</p>")
    listed = ("<ul><li>Members meet on the first Sunday: <a href='/membership/'>how to join</a></li>"
              "<li>Volunteers paint the lamp room each spring</li></ul>")
    linked = ("<div class='note'>The full minutes of the board's meeting are published with the agenda. "
              "<a href='/contact/minutes-of-the-board-meeting-in-march'>Minutes of the board meeting in March, "
              "all of its items</a></div>")
    for middle, kept in ((said, "opened two seats to residents"), (listed, "how to join"),
                         (linked, "Minutes of the board meeting in March")):
        result = clean_html(_story(middle), URL)
        assert isinstance(result, Article), result
        assert kept in result.text, (middle, result.text)


def test_a_sentence_in_a_bare_div_linking_to_an_address_with_donat_stays() -> None:
    # a site writing its paragraphs as bare divs: the sentence linking a story whose address holds
    # 'donat' ('donated-lifeboat') was taken for a donation box and dropped (50 characters)
    sentence = ("Last month <a href='/news/2024/03/donated-lifeboat-arrives/'>a donated lifeboat</a> arrived "
                "from Norway, and the crews have trained on it every weekend since.")
    page = _story("").replace("<p>", "<div>").replace("</p>", "</div>").replace(
        f"<div>{PARAS[1]}</div>", f"<div>{PARAS[1]}</div><div>{sentence}</div>")
    result = clean_html(page, URL)
    assert isinstance(result, Article), result
    assert "a donated lifeboat arrived from Norway" in result.text, result.text
    assert all(p in result.text for p in PARAS), result.text



def _elementor_story(promo: str) -> str:
    """The story built with Elementor, each paragraph a text widget of its own instance, the promo
    widget (one instance) after the second paragraph and after the last."""
    def widget(instance: str, text: str) -> str:
        return (f"<div class='elementor-element elementor-element-{instance} elementor-widget "
                f"elementor-widget-text-editor'><div class='elementor-widget-container'><p>{text}</p></div></div>")

    paras = [widget(f"a1b2c3{k}", p) for k, p in enumerate(PARAS)]
    body = "".join([*paras[:2], widget("be450e8", promo), *paras[2:], widget("be450e8", promo)])
    return ("<html><head><title>Harbour light returns</title></head><body><main><article>"
            "<h1>Harbour light returns</h1><div class='elementor elementor-60647'><section class='elementor-section'>"
            f"<div class='elementor-container'><div class='elementor-widget-wrap'>{body}</div></div></section></div>"
            "</article></main><footer><p>Harbour Daily, 1 Quay Street</p></footer></body></html>")


@pytest.mark.xfail(strict=True, reason=f"{_NOT_YET}: a page builder's widget shown twice (one instance class, one "
                   "text) is a reused promo; the pruning built for it (qleak12) moved only the 3 wcxb-dev dev pages "
                   "it was counted on, no check page and no other set, so it did not land")
def test_a_page_builders_widget_shown_twice_with_one_text_is_not_body() -> None:
    result = clean_html(_elementor_story("Get the cash you need with a low-interest harbour loan today"), URL)
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS
