"""A progress bar on a terminal: lines read, then the writing stages."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.imports.reading import count_lines

OnLine = Callable[[int], None]
OnStage = Callable[[str], None]


@contextmanager
def progress_callbacks(path: Path, *, enabled: bool) -> Iterator[tuple[OnLine, OnStage]]:
    """Callbacks for run_import: a rich progress bar on stderr when `enabled`, else no-ops."""
    if not enabled:
        yield (lambda _line: None), (lambda _stage: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    total = count_lines(path)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} lines"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(f"reading {path.name}", total=total)
        step = max(total // 200, 1)
        shown = [0]

        def on_line(line: int) -> None:
            if line - shown[0] >= step:
                shown[0] = line
                bar.update(task, completed=line)

        def on_stage(stage: str) -> None:
            bar.update(task, completed=total, description=stage)

        yield on_line, on_stage
