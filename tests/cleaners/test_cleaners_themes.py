"""The themes and CMSs a large share of news and blog sites run on (issue #13): one page each,
written for this project with the theme's own markup around and inside the article's container
(share bars, author boxes, related posts, newsletter forms, tag lists, next / previous links,
comments, ad slots, popular-posts widgets). Their boilerplate is the same on the thousands of
sites that run them, which the dev sets do not hold. ``tests/fixtures/cleaners/themes/NAME.html``
is the page, ``NAME.truth.txt`` the article's lines, as a reader of the page would copy them;
docs/quality.md ("Themes and CMSs as fixtures") says what held, what was fixed and what stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean.cleaners import Article, clean_html

from .fixture_pages import check_listed, cleaned, params_with_misses, truth_lines

THEMES_DIR = Path(__file__).parent.parent / "fixtures" / "cleaners" / "themes"

#: Each page's theme and the boilerplate it carries (what must stay out of the body).
THEMES = {
    "jannah": "TieLabs Jannah: share-buttons top and bottom, an ad's stream-item and tie-inline-related in the "
              "body, tag cloud, about-author, prev-next-post-nav, related-posts, comments, sidebar newsletter",
    "jnews": "JNews: jeg_share bars, jnews_inline_related_post ('Read also') and jeg_ad in the body, "
             "jeg_post_tags, prev/next, jeg_authorbox, jnews_related_post, popup next post, comments",
    "soledad": "PenciDesign Soledad: adsense in the body, post-tags, penci-post-share-box with likes, "
               "post-author bio, post-pagination, post-related carousel, sidebar about / newsletter",
    "newspaper": "tagDiv Newspaper: td-a-rec ads and td_block_related_posts in td-post-content, "
                 "source / tags, td-post-sharing, td-post-next-prev, author-box-wrap, Most Popular",
    "astra": "Astra: ez-toc table of contents in the body, ast-single-author-box, post-navigation, "
             "ast-related-posts with excerpts and 'Read More', comments, recent posts",
    "generatepress": "GeneratePress with plugins in entry-content: post views counter, kk-star-ratings, "
                     "Jetpack sharedaddy ('Share this:', 'Like this:'), jp-relatedposts, Simple Author Box "
                     "(saboxplugin-wrap, schema.org author microdata), tags, nav-below, comments, mc4wp",
    "kadence": "Kadence: a Kadence Blocks info box selling the site's own tool in the body, tags, "
               "entry-author, post-navigation, entry-related carousel, comments",
    "elementor": "Elementor Pro single-post template: post-info, share-buttons, post-navigation, a "
                 "newsletter form under a heading, posts widget 'More from the blog', a sidebar column",
    "twentytwentyfour": "WordPress block theme (Twenty Twenty-Four): post-terms, a buttons block in the "
                        "content, post-navigation-link, comments form, 'More posts' query loop",
    "casper": "Ghost Casper: kg-cards (image, callout, bookmark) in gh-content, footer-cta sign-up "
              "(data-portal), read-more post cards, the portal's Sign in / Subscribe",
    "substack": "Substack: subscription-widget and a Share button in the body, footnotes, post-ufi likes "
                "and comments counts, subscribe footer, 'Discussion about this post', 'Ready for more?'",
    "medium": "Medium: generated class names, clap and response counts, Follow, Listen, Share, tags, "
              "'Written by' card, 'More from', 'Recommended from Medium'",
    "blogger": "Blogger: text in a bare post-body with <br>s, post-footer share buttons and labels, "
               "comments, blog-pager, 'Subscribe to: Post Comments (Atom)', PopularPosts, Profile",
    "drupal": "Drupal (Olivero): field--name-body, tags field, 'Log in or register to post comments', "
              "comments, Recent content view, user login block",
    "arcxp": "Arc XP newsroom: b-share-bar, 'READ MORE:' interstitial link and arcad slots and a "
             "newsletter sign-up in the body, b-tags, b-author-bio, 'More in', Most Read rail",
    "papermod": "Hugo PaperMod: a details table of contents, post-tags, paginav, share-buttons, Disqus",
    "newspack": "Newspack (nonprofit newsrooms): a donation popup, a homepage-articles block and a newsletters "
                "subscribe block in the body, a donation appeal closing it, author-bio, the republication "
                "tracker's modal, a donate widget, 'Most read'",
    "blox": "TownNews BLOX (US local papers): headline share-container, tncms-region ad slots, 'Related to this "
            "story' and a tnt newsletter sign-up with its legal line in the body, asset-tags, a tnt-author-card, "
            "comment rules and 'Load comments', 'Recommended for you', 'Most Popular'",
    "brightspot": "Brightspot (public media): ps-actionbar, a PagePromo Enhancement and a NewsletterSignupInline "
                  "in RichTextBody, ArticlePage-tags, AuthorBio, a DonateModule, 'Most Viewed', bsp-list-loadmore "
                  "'More Stories'",
    "publisher": "BetterStudio Publisher: post-share with comment and view counts, bs-irp 'Related Posts' and a "
                 "bsac ad in the body, entry-terms, bottom share, post-author with post counts, next-prev-post, "
                 "'You might also like' tabs, comments, popular posts and a MailChimp widget",
    "colormag": "ThemeGrill ColorMag: a 'Latest:' news ticker, below-entry meta with views and tags, 'Tagged', "
                "prev / next, cm-author-box, 'You May Also Like', comment form, featured posts and tag cloud widgets",
    "divi": "Divi: Monarch's et_social_inline share bar and an et_pb_promo call to action (heading, line, "
            "'Subscribe' button) in the builder's modules, a Bloom opt-in below the post, comments, recent posts",
    "squarespace": "Squarespace 7.1 blog: sqs-block html and image blocks, a newsletter-block form in the body, "
                   "the author profile, squarespace-comments, item-pagination",
    "joomla": "Joomla 4 com_content (Cassiopeia): the user-tools dropdown (Email, Print), article-info details "
              "with Hits, tags, pagenavigation, Latest Articles, Most Read and Login Form modules",
    "hubspot": "HubSpot CMS blog: hs-blog-social-share, an image CTA (hs-cta-wrapper) in the post body, 'Topics:', "
               "related posts, the hs-form comment form, 'Subscribe by Email'",
    "wix": "Wix blog: generated class names and data-hook parts, a Ricos button in the body, the post footer's "
           "tags, share buttons, view / comment / like counts, 'Recent Posts' with 'See All', comments",
    "minima": "Jekyll minima: the post-meta line, Disqus's noscript, the site footer's h-card (name, e-mail, "
              "social links, the site's description)",
}

#: Each page's writers, as its byline prints them.
WRITERS = {
    "arcxp": ["Marisol Vega"], "astra": ["Dana Whitcomb"], "blogger": ["Margaret Pryce"], "blox": ["Dale Whitcomb"],
    "brightspot": ["Maren Holt"], "casper": ["Priya Raman"], "colormag": ["Ruth Abbey"], "divi": ["Ned Carrow"],
    "drupal": ["Helen Croft"], "elementor": ["Joanna Petrie"], "generatepress": ["Rob Kettering"],
    "hubspot": ["Lena Fischer"], "jannah": ["Moira Farrell"], "jnews": ["Tran Bao Ngoc"], "joomla": ["Tomasz Wrobel"],
    "kadence": ["Tom Ashby"], "medium": ["Sam Okafor"], "minima": ["Kwame Boateng"], "newspack": ["Callie Brandt"],
    "newspaper": ["Salman Qureshi"], "papermod": ["Ines Duarte"], "publisher": ["Gwen Pryce"],
    "soledad": ["Eilidh Munro"], "squarespace": ["Ann Pritchard"], "substack": ["Gareth Lloyd"],
    "twentytwentyfour": ["Kath Dunmore"], "wix": ["Olive Jarman"],
}

#: Pages whose truth the cleaner does not give yet, and why (docs/quality.md, "Themes and CMSs"):
#: none since qtheme2 (Ghost's callout card, Kadence's info box, Newspack's appeal were).
MISSES: dict[str, str] = {}


def _clean(name: str) -> Article:
    return cleaned(THEMES_DIR, name, f"https://{name}.example/2025/03/story/")


@pytest.mark.parametrize("name", params_with_misses(THEMES, MISSES))
def test_a_themes_article_is_its_body_and_nothing_of_the_theme(name: str) -> None:
    assert _clean(name).text.split("\n") == truth_lines(THEMES_DIR, name)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_themes_byline_names_its_writer(name: str) -> None:
    assert _clean(name).authors == WRITERS[name]


def test_every_theme_page_has_its_truth_and_its_boilerplate_listed() -> None:
    check_listed(THEMES_DIR, THEMES, MISSES)
    assert set(WRITERS) == set(THEMES)


def test_drupals_submitted_by_line_names_its_writer() -> None:
    # Drupal's node template (core, Classy, Stable, Bartik) prints "Submitted by NAME on DATE"; the name
    # is a bare span for a visitor who may not see users' profiles (a crawler), with no class that
    # names a writer, and nothing declares one.
    page = (THEMES_DIR / "drupal.html").read_text(encoding="utf-8")
    start = page.index("<span>\n By ")   # Olivero's "By NAME, DATE"
    olivero = page[start:page.index("</div></header>", start)]
    name = ("<span class='field field--name-uid field--type-entity-reference field--label-hidden'><span lang='' "
            "about='/user/12' typeof='schema:Person' property='schema:name' datatype=''>Helen Croft</span></span>")
    classy = (f"</div><div class='node__submitted'>Submitted by {name} on <span class='field field--name-created "
              "field--type-created field--label-hidden'>Wed, 02/26/2025 - 17:05</span>")
    result = clean_html(page.replace(olivero, classy), "https://ashcombegazette.example/news/solar-farm")
    assert isinstance(result, Article), result
    assert result.authors == ["Helen Croft"]
    assert result.text.split("\n") == (THEMES_DIR / "drupal.truth.txt").read_text(encoding="utf-8").strip().split("\n")


PARAS = ["The harbour board met on Tuesday to settle the fees that visiting yachts will pay from next spring, "
         "after a summer in which the moorings were full on most weekends.",
         "Members agreed to keep the daily rate for boats under ten metres and to raise it for larger ones, "
         "with the money set aside for dredging the inner basin before the autumn storms.",
         "The new rates will be posted at the harbour office and on the board's notice at the slipway, and "
         "they apply from the first of April."]


def _story_with(card: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head><title>Harbour fees</title></head><body><main><article><h1>Harbour fees</h1>"
            f"<div class='entry-content'>{paras}{card}</div></article></main></body></html>")


def test_an_author_card_marked_by_its_microdata_goes_and_a_short_sign_off_stays() -> None:
    # The card's class holds no widget word; its microdata says it is the article's author, with
    # a bio (the page's source holds "itemscope": dom.has_microdata).
    card = ("<div class='writer-panel' itemscope='' itemprop='author' itemtype='https://schema.org/Person'>"
            "<span itemprop='name'>Nell Grady</span><p itemprop='description'>Nell has covered the harbour "
            "and its boats for the paper since 2009, and sails a small dinghy of her own.</p></div>")
    result = clean_html(_story_with(card), "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS
    # the attribute in camel case, as hand-written pages spell it: the parser reads it the same
    # (has_microdata's search of the bytes missed it, and the card stayed)
    result = clean_html(_story_with(card.replace("itemscope=''", "itemScope")), "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS
    # a sign-off marked the same way but no longer than a byline is the article's last line
    sign_off = "<p itemscope itemprop='author' itemtype='https://schema.org/Person'>Reporting by Nell Grady.</p>"
    result = clean_html(_story_with(sign_off), "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == [*PARAS, "Reporting by Nell Grady."]


APPEAL = ("<p><strong>Support independent local journalism.</strong> The Harbour Gazette is a nonprofit newsroom "
          "that depends on readers. <a href='/donate/'>Make a gift today</a> and your donation will be matched.</p>")


def test_a_donation_appeal_boxed_apart_from_the_body_goes_and_a_sentence_naming_the_fund_stays() -> None:
    # WordPress's block group with a background (Newspack's closing appeal): one paragraph in a box
    # beside the body's own paragraphs, linking to the donation page
    result = clean_html(_story_with(f"<div class='wp-block-group has-background'>{APPEAL}</div>"),
                        "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n") == PARAS
    # a site that writes each of its paragraphs in a div: the paragraph naming the fund is the article's
    paras = "".join(f"<div class='para'>{p}</div>" for p in [*(f"<p>{t}</p>" for t in PARAS), APPEAL])
    page = (f"<html><head><title>Harbour fees</title></head><body><main><article><h1>Harbour fees</h1>"
            f"<div class='entry-content'>{paras}</div></article></main></body></html>")
    result = clean_html(page, "https://harbour.example/news/fees")
    assert isinstance(result, Article), result
    assert result.text.split("\n")[-1].startswith("Support independent local journalism.")


def test_a_shop_address_is_a_sales_page_and_a_word_holding_shop_is_not() -> None:
    # a box around a button to the site's shop goes as a call to action (the Kadence page's info box)
    from newsclean.cleaners.dom import names_signup

    for path in ("/shop/folding-saw/", "/shop", "/en/shop/?ref=infobox"):
        assert names_signup(path), path
    for path in ("/workshop/", "/shopping-list-for-winter", "/bishop-visits-the-harbour", "/shops-reopen"):
        assert not names_signup(path), path
