"""``python -m oilimpact`` is the same as the ``oilimpact`` command."""

from oilimpact.cli import main

if __name__ == "__main__":
    main()
