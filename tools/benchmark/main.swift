print("digits-benchmark: not yet")
