"""Visit every built page once in Chromium and record what a reader's browser saw.

One pass per page (so ~25 pages take well under a minute or two on 2 cores):

1. load it at 1280 px wide, wait until the network is idle, make lazy images load;
2. record console errors, page errors, failed or >= 400 responses, every request URL;
3. read the state of the math (every arithmatex element typeset by KaTeX, no KaTeX
   error, no TeX left as text outside code) and of the figures (caption, text
   alternatives) once the page's scripts have run;
4. run axe-core (all rules) in the light scheme, then its colour rules in the dark scheme;
5. narrow the window to 375 px and measure how wide the document is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SERIOUS = ("serious", "critical")
# The axe rules that depend on colours, run again in the dark scheme.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

_MATH_JS = r"""
() => {
  const RAW = /\\[()\[\]]|\$\$|\\[A-Za-z]{2,}|\$[^$\n]{0,200}?[\\^_{}][^$\n]{0,200}?\$/g;
  const root = document.body.cloneNode(true);
  root.querySelectorAll(
    "script, style, pre, code, textarea, kbd, samp, template, noscript, svg, math, .katex"
  ).forEach((e) => e.remove());
  const text = root.textContent;
  const raw = [];
  for (const m of text.matchAll(RAW)) {
    raw.push(text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30).replace(/\s+/g, " "));
    if (raw.length >= 5) break;
  }
  return {
    katex: document.querySelectorAll(".katex").length,
    arithmatex: document.querySelectorAll(".arithmatex").length,
    untypeset: [...document.querySelectorAll(".arithmatex")]
      .filter((e) => !e.querySelector(".katex"))
      .map((e) => e.textContent.trim().slice(0, 80)),
    errors: [...document.querySelectorAll(".katex-error")]
      .map((e) => (e.getAttribute("title") || e.textContent).slice(0, 120)),
    raw: raw,
  };
}
"""

# Figures as the reader gets them (after scripts have drawn their charts): each has a
# caption and each visual in it a text alternative; a visual hidden from assistive
# technology (aria-hidden) is described by its figure's caption. Also every <img>.
_FIGURES_JS = r"""
() => {
  const out = [];
  const text = (el) => (el ? el.textContent : "").replace(/\s+/g, " ").trim();
  const named = (el) => {
    if (el.tagName === "IMG") return (el.getAttribute("alt") || "").trim();
    const ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    const labelled = ids.map((id) => text(document.getElementById(id))).join(" ").trim();
    const title = el.tagName.toLowerCase() === "svg" ? text(el.querySelector(":scope > title")) : "";
    return ((el.getAttribute("aria-label") || "").trim() || labelled || title
            || (el.getAttribute("title") || "").trim());
  };
  document.querySelectorAll("figure").forEach((fig, i) => {
    const where = `<figure${fig.id ? " id=" + fig.id : ""}> (${i + 1} on the page)`;
    const caption = text(fig.querySelector("figcaption"));
    if (!caption) out.push(`${where}: no caption text`);
    const media = [...fig.querySelectorAll("img, svg, canvas, iframe, object, video")].filter(
      (m) => !(m.parentElement && m.parentElement.closest("svg"))
        && !m.closest("figcaption, button, a, label"));
    if (media.length === 0) out.push(`${where}: no image, svg or canvas`);
    for (const m of media) {
      const hidden = m.closest('[aria-hidden="true"]') !== null;
      if (!named(m) && !(hidden && caption)) {
        out.push(`${where}: a <${m.tagName.toLowerCase()}> with no text alternative`);
      }
    }
  });
  document.querySelectorAll("img").forEach((img) => {
    if (!(img.getAttribute("alt") || "").trim()) {
      out.push(`<img src=${(img.getAttribute("src") || "").slice(0, 80)}> has no alt text`);
    }
  });
  return out;
}
"""

_IMAGES_JS = """
async () => {
  const imgs = [...document.images];
  imgs.forEach((i) => { if (i.loading === "lazy") i.loading = "eager"; });
  await Promise.all(imgs.map((i) => i.complete ? null :
    new Promise((r) => { i.addEventListener("load", r); i.addEventListener("error", r); })));
  return imgs.filter((i) => i.naturalWidth === 0).map((i) => i.currentSrc || i.src);
}
"""

_WIDTH_JS = r"""
async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const vw = window.innerWidth;
  const width = document.scrollingElement.scrollWidth;
  const wide = [];
  if (width > vw + 1) {
    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest(".katex-mathml")) continue;  // clipped copy for screen readers
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= vw + 1) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right > vw + 1)) continue;
      const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
      const what = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50);
      wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls} (right edge ${Math.round(box.right)} px) "${what}"`);
      if (wide.length >= 5) break;
    }
  }
  return { width: width, viewport: vw, wide: wide };
}
"""

# Switch the page to its other colour scheme the way Material's toggle does (body
# attributes from the palette's other radio button, colour transitions off while
# data-md-color-switching is set), without saving the choice.
_OTHER_SCHEME_JS = """
() => {
  document.body.setAttribute("data-md-color-switching", "");
  const now = document.body.getAttribute("data-md-color-scheme");
  const other = [...document.querySelectorAll("input.md-option[data-md-color-scheme]")]
    .find((i) => i.getAttribute("data-md-color-scheme") !== now);
  if (!other) return null;
  const before = {};
  for (const a of other.attributes) {
    if (!a.name.startsWith("data-md-color-") || a.name === "data-md-color-media") continue;
    before[a.name] = document.body.getAttribute(a.name);
    document.body.setAttribute(a.name, a.value);
  }
  return before;
}
"""

# Wait for CSS transitions (Material fades colours over ~0.25 s) to end.
_SETTLE_JS = """
async () => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)));
}
"""


@dataclass
class Visit:
    path: str
    url: str
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)
    axe_dark: list[dict] | None = None
    phone: dict = field(default_factory=dict)


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v.get("impact") in SERIOUS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v["nodes"][:4]:
            summary = " ".join(node.get("failureSummary", "").split())[:240]
            lines.append(f"      at {json.dumps(node['target'])}: {summary}")
    return "\n".join(lines)


def visit_all(browser, base_url: str, paths: list[str]) -> dict[str, Visit]:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    current: list[Visit] = []

    def on_console(msg):
        if msg.type == "error" and current:
            loc = msg.location or {}
            where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc.get("url") else ""
            current[-1].console_errors.append(msg.text + where)

    def on_response(resp):
        if resp.status >= 400 and current:
            current[-1].bad_responses.append(f"{resp.status} {resp.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda err: current and current[-1].page_errors.append(str(err)))
    page.on("response", on_response)
    page.on("requestfailed", lambda req: current and current[-1].bad_responses.append(
        f"failed ({req.failure}) {req.url}"))
    context.on("request", lambda req: current and current[-1].requests.append(req.url))

    axe = Axe()
    out: dict[str, Visit] = {}
    try:
        for path in paths:
            url = base_url + path
            visit = Visit(path, url)
            current.append(visit)
            out[path] = visit
            page.set_viewport_size(DESKTOP)
            response = page.goto(url, wait_until="networkidle")
            visit.status = response.status if response else None
            visit.broken_images = page.evaluate(_IMAGES_JS)
            visit.math = page.evaluate(_MATH_JS)
            visit.figures = page.evaluate(_FIGURES_JS)
            visit.axe = axe.run(page).response["violations"]
            before = page.evaluate(_OTHER_SCHEME_JS)
            if before is not None:
                page.evaluate(_SETTLE_JS)
                options = {"runOnly": {"type": "rule", "values": COLOUR_RULES},
                           "resultTypes": ["violations"]}
                visit.axe_dark = page.evaluate(
                    f"axe.run(document, {json.dumps(options)}).then(r => r.violations)")
                page.evaluate("(b) => { for (const [k, v] of Object.entries(b)) "
                              "v === null ? document.body.removeAttribute(k) "
                              ": document.body.setAttribute(k, v); "
                              "document.body.removeAttribute('data-md-color-switching'); }", before)
            page.set_viewport_size(PHONE)
            visit.phone = page.evaluate(_WIDTH_JS)
            # Let late console messages of this page land on this page's record.
            page.wait_for_timeout(50)
    finally:
        context.close()
    return out


# --------------------------------------------------------------------------- in the background

def visit_site(site: Path, out: Path) -> int:
    """Serve `site` under its published path, visit every page, pickle the visits to `out`.

    Run by the shared build (`shared_build.py`) right after the build, in a process of its
    own, so the pages are visited once per test run while the test workers do other work.
    Exits 0 with the visits, 3 when there is no Chromium, 1 on any other failure.
    """
    import pickle

    import sitelib
    from playwright.sync_api import sync_playwright

    path = sitelib.chromium_path()
    if path is None:
        return 3
    config = sitelib.read_config()
    paths = sorted(p.relative_to(site).as_posix() for p in sitelib.html_pages(site))
    with sitelib.serve(site, sitelib.site_prefix(config)) as base, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=sitelib.CHROMIUM_ARGS)
        try:
            visits = visit_all(chromium, base, paths)
        finally:
            chromium.close()
    tmp = out.with_suffix(".part")
    tmp.write_bytes(pickle.dumps(visits))
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import browsing  # this file again, under its module name: the pickle names browsing.Visit

    sys.exit(browsing.visit_site(Path(sys.argv[1]), Path(sys.argv[2])))
