import DigitsServeCommand

// `digits`' entry point: @main, not main.swift, so ArgumentParser's async `main` runs (`serve` is async).
@main extension DigitsCommand {}
