// Supply timelines and adherence methods over exact day arithmetic.
