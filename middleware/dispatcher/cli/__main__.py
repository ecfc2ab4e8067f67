"""``python -m dispatcher.cli``: the same as ``mw``."""

from dispatcher.cli import main

if __name__ == '__main__':
    main(prog_name='mw')
