"""`bri keys`: create, list and revoke API keys."""

from typing import Annotated

import typer

keys_cli = typer.Typer(
    help="API keys for writing (and reading a private API).", no_args_is_help=True
)


@keys_cli.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who holds the key; the audit log shows this name.")],
    scope: Annotated[str, typer.Option(help="write (create, change, delete) or read.")] = "write",
) -> None:
    """Make a key and print it once: only its hash is stored."""
    from app.auth.keys import KeyRefused, create_key
    from app.db import get_sessionmaker
    from app.models.enums import KeyScope

    if scope not in {member.value for member in KeyScope}:
        typer.echo(f"bri: scope must be 'write' or 'read', not '{scope}'", err=True)
        raise typer.Exit(2)
    try:
        with get_sessionmaker().begin() as session:
            key = create_key(session, name, KeyScope(scope))
    except KeyRefused as refused:
        typer.echo(f"bri: {refused}", err=True)
        raise typer.Exit(1) from refused
    typer.echo(key)
    typer.echo(
        f"Key '{name}' (scope {scope}) created. This is the only time it is shown: store it "
        "now. Send it as 'Authorization: Bearer <key>'.",
        err=True,
    )


@keys_cli.command("list")
def list_command() -> None:
    """Every key: name, public prefix, scope, when made, whether revoked (never the key)."""
    from app.auth.keys import list_keys
    from app.db import get_sessionmaker

    with get_sessionmaker()() as session:
        keys = list_keys(session)
    if not keys:
        typer.echo("no keys yet: make one with `bri keys create --name NAME`")
        return
    typer.echo(f"{'name':24} {'prefix':13} {'scope':6} {'created':20} status")
    for key in keys:
        status = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        typer.echo(
            f"{key.name:24} {'bri_' + key.prefix:13} {key.scope.value:6} "
            f"{key.created_at:%Y-%m-%d %H:%M:%S}  {status}"
        )


@keys_cli.command("revoke")
def revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Stop a key working at once. Its name stays in the audit log and cannot be reused."""
    from app.auth.keys import KeyRefused, revoke_key
    from app.db import get_sessionmaker

    try:
        with get_sessionmaker().begin() as session:
            revoke_key(session, name)
    except KeyRefused as refused:
        typer.echo(f"bri: {refused}", err=True)
        raise typer.Exit(1) from refused
    typer.echo(f"key '{name}' revoked")
