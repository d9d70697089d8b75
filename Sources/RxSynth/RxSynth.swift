// Synthetic member histories written as canonical input files.
