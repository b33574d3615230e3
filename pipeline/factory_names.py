"""The components' factory names, and pipelines saved under their old names.

The factories are namespaced (``racereport_incident_typer``,
``racereport_relation_extractor``, ``racereport_event_graph``,
``racereport_generic_entities``, ``racereport_generic_tagger``) so that they cannot
collide with other spaCy packages (explosion's rel_component tutorial registers
``relation_extractor``).
Pipelines saved before the rename name the old factories in their ``config.cfg``;
:func:`legacy_components` finds them and :func:`migrate_pipeline` writes a copy that
loads (``racereport migrate-model``). Component *names* (``nlp.get_pipe("ner")``,
``"relation_extractor"``) are unchanged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

LEGACY_FACTORIES = {
    "incident_typer": "racereport_incident_typer",
    "relation_extractor": "racereport_relation_extractor",
    "event_graph": "racereport_event_graph",
}
"""Old factory name -> its namespaced name."""

_FACTORY_LINE = re.compile(r'^(factory\s*=\s*")([^"]+)(")\s*$', re.MULTILINE)


class LegacyPipelineError(ValueError):
    """A pipeline saved under the old factory names."""


def legacy_components(path: str | Path) -> dict[str, str]:
    """``{old factory: new factory}`` for each old factory ``path/config.cfg`` uses
    (empty when there is no such file or nothing to rename)."""
    config = Path(path) / "config.cfg"
    if not config.is_file():
        return {}
    found = _FACTORY_LINE.findall(config.read_text(encoding="utf-8"))
    return {old: LEGACY_FACTORIES[old] for _, old, _ in found if old in LEGACY_FACTORIES}


def check_not_legacy(path: str | Path) -> None:
    """Raise :class:`LegacyPipelineError`, saying what to run, when the pipeline at
    ``path`` uses old factory names (spaCy's own error would only say it cannot find
    the factory). A package name or a path without a ``config.cfg`` passes."""
    old = legacy_components(path)
    if old:
        names = ", ".join(sorted(old))
        raise LegacyPipelineError(
            f"{path}: saved with the old factory names ({names}); write a copy that loads "
            f"with 'racereport migrate-model {path} NEW_PATH'"
        )


def migrate_pipeline(source: str | Path, output: str | Path) -> dict[str, str]:
    """Copy the pipeline at ``source`` to ``output`` with namespaced factory names in
    its ``config.cfg``; returns what was renamed. ``output`` must not exist (nothing
    is overwritten); ``source`` is left as it is."""
    source, output = Path(source), Path(output)
    if not (source / "config.cfg").is_file():
        raise FileNotFoundError(f"{source}: no config.cfg; is this a saved spaCy pipeline?")
    if output.exists():
        raise FileExistsError(f"{output} exists; choose a new folder (nothing is overwritten)")
    renamed = legacy_components(source)
    shutil.copytree(source, output)
    config = output / "config.cfg"

    def rename(match: re.Match[str]) -> str:
        new = LEGACY_FACTORIES.get(match.group(2), match.group(2))
        return f"{match.group(1)}{new}{match.group(3)}"

    config.write_text(
        _FACTORY_LINE.sub(rename, config.read_text(encoding="utf-8")), encoding="utf-8"
    )
    return renamed
