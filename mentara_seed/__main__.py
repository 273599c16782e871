"""``python -m mentara_seed``: the ``seed`` command."""

from mentara_seed.cli.entry import main

if __name__ == "__main__":
    main()
