// A project's `testTimeout` is ignored when jest runs from the root with `projects`, so the
// api project sets its default here: database and server tests need more than 5 s on a busy
// 2-core machine. (Speed is measured by benchmarks, never by timeouts.)
jest.setTimeout(180_000);
