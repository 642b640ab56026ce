"""Values shown on pages (numbers, sentences, tables), computed by the package.

Each module here registers Markdown-producing functions with `initnotes.registry.value`.
"""
