"""Operator commands: `flask --app backend users set-password EMAIL`."""
import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import db
from .nudges.cli import nudges
from .push.keys import init_keys as make_keys, new_key_pair
from .services import accounts, demo as demo_account

users = AppGroup("users", help="Manage accounts.")


@users.command("set-password")
@click.argument("email")
@click.password_option("--password", prompt="New password", confirmation_prompt=True,
                       help="Read from a prompt when left out.")
def set_password(email, password):
    """Set EMAIL's password and sign out all of their devices."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    accounts.set_password(user, password)
    db.session.commit()
    click.echo(f"Password set for {user.email}; every device was signed out.")


push = AppGroup("push", help="Web push set-up.")


@push.command("init-keys")
def init_keys():
    """Make this server's VAPID key pair in instance/ unless it has one."""
    if current_app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("VAPID keys come from the environment; nothing to do.")
    elif make_keys(current_app.instance_path):
        click.echo("Made a VAPID key pair in instance/.")
    else:
        click.echo("VAPID keys already exist in instance/.")


@push.command("new-keys")
def new_keys():
    """Print a new VAPID key pair as environment lines (production; see docs/operations.md)."""
    private, public = new_key_pair()
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(f"VAPID_PUBLIC_KEY={public}")


demo = AppGroup("demo", help="A demo account to try every screen with.")


@demo.command("create")
@click.option("--email", default=demo_account.DEMO_EMAIL, show_default=True)
@click.option("--timezone", default="Europe/London", show_default=True)
def create_demo(email, timezone):
    """Make (or make again) a demo account with three months of activity."""
    user, password = demo_account.create(email, timezone=timezone)
    db.session.commit()
    click.echo(f"Demo account ready: sign in as {user.email} with the password {password}")


def register(app):
    app.cli.add_command(users)
    app.cli.add_command(push)
    app.cli.add_command(nudges)
    app.cli.add_command(demo)
