"""Where opsdesk keeps things: the database, the config, backups and its own assets.

The user's files follow the platform's conventions (platformdirs). The app's own assets
(``styles/``, ``fixtures/``) sit at the top of the source tree while developing and inside the
package once installed from a wheel; :func:`asset_dir` finds either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import uuid
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_documents_dir

APP_NAME = "opsdesk"
DB_ENV = "OPSDESK_DB"
CONFIG_ENV = "OPSDESK_CONFIG"


def data_dir() -> Path:
    """The folder that holds the user's database and backups."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder that holds ``config.toml``."""
    return Path(user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``OPSDESK_DB`` names one."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / "opsdesk.db"


def demo_db_path() -> Path:
    """The demo's own database: never the user's real one."""
    return data_dir() / "demo.db"


def state_path() -> Path:
    """Small things opsdesk remembers between runs (the chosen theme), never the user's data."""
    return data_dir() / "state.json"


def config_path() -> Path:
    """The config file: ``OPSDESK_CONFIG`` if set, else ``config.toml`` in the config folder."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return config_dir() / "config.toml"


def asset_dir(name: str) -> Path:
    """Find a shipped asset folder (``styles`` or ``fixtures``) in a wheel or a checkout."""
    packaged = Path(__file__).resolve().parent / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"opsdesk's {name} folder is missing from this installation")


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) readable by the owner only (0700).

    A folder that already exists is left as it is: ``--db /tmp/x.db`` must not lock others
    out of ``/tmp``.
    """
    if path.is_dir():
        return
    missing = [path, *[p for p in path.parents if not p.exists()]]
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for folder in missing:
        with contextlib.suppress(PermissionError):
            folder.chmod(0o700)


def private_file(path: Path) -> None:
    """Make sure an existing file is owner-only (0600)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.chmod(0o600)


def export_dir() -> Path:
    """Where exports are offered by default: the user's documents folder when it exists,
    else an ``exports`` folder beside the database (created 0700 when first written)."""
    documents = Path(user_documents_dir())
    if documents.is_dir():
        return documents
    return data_dir() / "exports"


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` as an owner-only (0600) file, whole or not at all.

    Missing folders are created 0700 (:func:`make_private_dir`). The bytes go to a new 0600
    file beside the target first and then replace it, so a reader never sees half an export
    and a file that was readable by others before is replaced by a private one.

    What is not a plain file is written to, never replaced: a symbolic link keeps pointing
    where it did and the file it points at is replaced (a link into a synced folder stays a
    link), and a device, pipe or socket (``/dev/stdout``, ``>(gzip > out.gz)``) receives the
    bytes as it would from any program. Replacing those would swap ``/dev/null`` for a file.
    """
    try:
        mode = os.stat(path).st_mode  # follows links: what the path leads to
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        with open(path, "wb") as stream:  # a device or pipe: no temp file, no rename
            stream.write(data)
        return path
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    make_private_dir(target.parent)
    temp = target.with_name(f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as error:
        # Said about the file the person named: the temporary name ('/proc/.x.md.4242-…tmp:
        # No such file or directory') is ours, and reads as a file they never asked for.
        if error.filename != str(temp):
            raise
        raise type(error)(error.errno, error.strerror, str(path)) from None
    private_file(target)
    return path
