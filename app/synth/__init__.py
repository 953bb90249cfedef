"""`bri synth`: realistic, AidData-shaped synthetic data at scale, for load tests."""
