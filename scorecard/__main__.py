try:
    from .console import main
except KeyboardInterrupt:  # Ctrl-C before the entry point is in place: still exit 130
    raise SystemExit(130) from None

main()
