"""Forward MkDocs's events to the features of the current build.

`Dispatcher.on_config` asks its factory for the features of the build that is starting
(new objects every time, so nothing carries over from one build to the next, e.g. when
``mkdocs serve`` rebuilds), then every event in `EVENTS` goes to each feature that has a
method for it, in the features' order. As with MkDocs's own plugins, an event's item
(the config, the files, a page's Markdown or HTML, the server) is handed from one feature
to the next: a method returns the new item, or None to leave it as it was. MkDocs's
``on_startup`` (before any build) is not forwarded: it tells the factory which command
runs (``mkdocs serve`` or ``mkdocs build``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

#: The events forwarded, in the order MkDocs sends them during a build (``serve`` comes
#: once, after the first build of ``mkdocs serve``).
EVENTS: tuple[str, ...] = (
    "config", "files", "page_markdown", "page_content", "post_page", "post_build", "serve",
)

#: ``factory(config, command)``: the features of a build; `command` is what MkDocs runs
#: ("build", "serve" or "gh-deploy", from its ``on_startup`` event; "build" if it sent none).
Factory = Callable[[Any, str], Sequence[Any]]


def handles(feature: Any, event: str) -> bool:
    """Whether `feature` has its own ``on_<event>`` method (not `BasePlugin`'s no-op)."""
    method = getattr(type(feature), f"on_{event}", None)
    return callable(method) and method is not getattr(BasePlugin, f"on_{event}", None)


def events_of(feature: Any) -> list[str]:
    """Every event `feature` has a method for, forwarded or not."""
    return [name[3:] for name in dir(type(feature))
            if name.startswith("on_") and handles(feature, name[3:])]


class Dispatcher:
    """The build hook's one object: the current build's features and the event forwarding.

    `factory(config)` returns the features of a build, in order.
    """

    def __init__(self, factory: Factory) -> None:
        self.factory = factory
        self.features: list[Any] = []
        self.command = "build"

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember which command runs (MkDocs sends this once, before any build)."""
        self.command = command

    def handlers(self, event: str) -> list[Any]:
        """The features `event` reaches, in order."""
        return [f for f in self.features if handles(f, event)]

    def _forward(self, event: str, item: Any, **context: Any) -> Any:
        for feature in self.handlers(event):
            result = getattr(feature, f"on_{event}")(item, **context)
            if result is not None:
                item = result
        return item

    def on_config(self, config: MkDocsConfig):
        features = list(self.factory(config, self.command))
        for feature in features:
            unknown = [e for e in events_of(feature) if e not in EVENTS]
            if unknown:
                raise PluginError(f"initnotes: {type(feature).__name__} has methods for "
                                  f"{unknown}, events the build hook does not forward "
                                  f"(it forwards {', '.join(EVENTS)})")
        self.features = features
        return self._forward("config", config)

    def on_files(self, files: Files, *, config: MkDocsConfig):
        return self._forward("files", files, config=config)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        return self._forward("page_markdown", markdown, page=page, config=config, files=files)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files):
        return self._forward("page_content", html, page=page, config=config, files=files)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig):
        return self._forward("post_page", output, page=page, config=config)

    def on_post_build(self, *, config: MkDocsConfig):
        for feature in self.handlers("post_build"):
            feature.on_post_build(config=config)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder):
        return self._forward("serve", server, config=config, builder=builder)
