#!/usr/bin/env python
from safeguard.manage import main

if __name__ == "__main__":
    main()
