"""Repair of the print page's in-page links (initnotes.printpage)."""

from __future__ import annotations

from initnotes import printpage

# Two pages combined by the print plugin: both have a code line anchored "__codelineno-0-1"
# (ids not renamed, links renamed), a footnote ref whose id was missed, and a link to an
# API entry on a page that is not part of the print page.
PAGE = (
    '<section class="print-page" id="a">'
    '<h2 id="a-intro">Intro</h2><a href="#a-intro">self</a>'
    '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#a-__codelineno-0-1"></a>'
    '<sup id="fnref:x"><a href="#a-fn:x">1</a></sup><li id="a-fn:x"><a href="#a-fnref:x">back</a></li>'
    '</section>'
    '<section class="print-page" id="b">'
    '<a id="__codelineno-0-1" name="__codelineno-0-1" href="#b-__codelineno-0-1"></a>'
    '<a href="#pkg.mod.func">func</a><a href="#tutorials-a">left out</a><a href="#nowhere">gone</a>'
    '</section>'
)


def elsewhere(anchor):
    return {"pkg.mod.func": "../reference/mod/#pkg.mod.func", "tutorials-a": "../tutorials/a/"}.get(anchor)


def test_repair_renames_ids_within_their_own_section():
    html, changed = printpage.repair(PAGE, elsewhere)
    a, b = html.split('<section class="print-page" id="b">')
    assert 'id="a-__codelineno-0-1" name="a-__codelineno-0-1"' in a
    assert 'id="b-__codelineno-0-1" name="b-__codelineno-0-1"' in b
    assert '<sup id="a-fnref:x">' in a
    assert 'href="../reference/mod/#pkg.mod.func"' in b and 'href="../tutorials/a/"' in b
    assert changed == 2 + 2 + 1 + 2


def test_repair_leaves_what_it_cannot_place_and_what_works():
    html, _ = printpage.repair(PAGE, elsewhere)
    assert 'href="#nowhere"' in html  # no page has it: left for the link check to report
    assert '<h2 id="a-intro">' in html and 'href="#a-intro"' in html
    assert printpage.missing_targets(html) == {"nowhere"}


def test_repair_of_a_sound_page_changes_nothing():
    sound = '<section class="print-page" id="a"><h2 id="a-x">X</h2><a href="#a-x">x</a></section>'
    assert printpage.repair(sound, elsewhere) == (sound, 0)


def test_page_key_is_the_print_plugins():
    assert printpage.page_key("") == "index"
    assert printpage.page_key("tutorials/symmetry/") == "tutorials-symmetry"
    assert printpage.page_key("404.html") == "404"


def test_relative_base_makes_the_print_pages_base_relative():
    html = ('<head><script id="__config" type="application/json">{"base": "/initnotes/", '
            '"search": "../assets/x.js"}</script></head>')
    fixed, changed = printpage.relative_base(html, "print_page/")
    assert changed and '"base": ".."' in fixed and '"search": "../assets/x.js"' in fixed
    assert printpage.relative_base(fixed, "print_page/") == (fixed, False)
    assert '"base": "."' in printpage.relative_base(html, "")[0]
    assert printpage.relative_base("<p>no config</p>", "a/") == ("<p>no config</p>", False)
