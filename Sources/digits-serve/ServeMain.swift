import DigitsServeCommand

// @main, not main.swift, so ArgumentParser's async `main` runs.
@main extension ServeCommand {}
