// The evaluator: lowers checked packs into plans and runs them per member.
