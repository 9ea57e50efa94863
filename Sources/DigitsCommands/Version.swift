/// The version every command prints with --version.
public let digitsVersion = "0.1.0"
