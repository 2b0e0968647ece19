"""Allow ``python -m opsdesk``."""

from opsdesk.cli import main

if __name__ == "__main__":
    main()
