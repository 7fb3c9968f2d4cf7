"""Reading a `.env` file into the environment, for settings and gunicorn's configuration."""

from pathlib import Path

from dotenv import load_dotenv


def load_env_file(path):
    """Set the variables of the `.env` file at ``path``, if there is one.

    A variable already in the environment keeps its value: the real environment (systemd's
    EnvironmentFile, a container's settings, a test) wins over the file.
    """
    path = Path(path)
    if path.is_file():
        load_dotenv(path, override=False)
