import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program in a process group of its own and stops the whole
/// group after a time limit.
///
/// Why not Foundation's `Process`: on Linux it reports a child's exit only
/// once every process holding the child's inherited descriptors has gone,
/// so a wrapper script killed after its limit still kept the caller waiting
/// on its own children (seen: `sh` killed at 6 s, reported at 30 s when
/// its `sleep` ended). Chromium too starts helper processes; a group of
/// its own lets one signal stop them all.
struct TimedProcess {
  enum Outcome: Equatable {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
  }

  let executable: String
  let arguments: [String]
  let environment: [String: String]
  /// Where the program's standard error goes (standard input and output
  /// are `/dev/null`).
  let errorLog: String

  func run(timeout: TimeInterval) throws -> Outcome {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A group of its own, signals at their defaults and none blocked, as
    // a program started from a shell would have them.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attributes, 0)
    var all = sigset_t(), none = sigset_t()
    sigfillset(&all)
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    var files = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&files)
    defer { posix_spawn_file_actions_destroy(&files) }
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&files, 2, errorLog, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid = pid_t()
    let started = posix_spawn(&pid, executable, &files, &attributes, argv, envp)
    guard started == 0 else { throw TimedProcessError(code: started) }

    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r == -1 && errno != EINTR { throw TimedProcessError(code: errno) }
      if Date() >= deadline {
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return .timedOut
      }
      usleep(20_000)
    }
    // Helpers the program left running (Chromium's) go with it.
    kill(-pid, SIGKILL)
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
  }
}

/// A program that could not be started, in the system's words.
struct TimedProcessError: Error, LocalizedError {
  let code: Int32
  var errorDescription: String? { String(cString: strerror(code)) }
}
