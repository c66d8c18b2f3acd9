/* Tries calls the sandbox's filter refuses, and a few it allows; prints name=ok or name=ERRNAME for each. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void probe(const char *name, long result)
{
    printf("%s=%s\n", name, result == -1 ? strerrorname_np(errno) : "ok");
}

int main(void)
{
    probe("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session keyring */, 1));
    probe("add_key", syscall(SYS_add_key, "user", "catty", "v", 1, -3));
    probe("bpf", syscall(SYS_bpf, 0, NULL, 0));
    probe("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
    probe("userfaultfd", syscall(SYS_userfaultfd, 0));
    probe("setns", setns(0, 0));
    probe("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
    probe("unshare_user", unshare(CLONE_NEWUSER));
    probe("unshare_mount", unshare(CLONE_NEWNS));
    probe("unshare_files", unshare(CLONE_FILES));
    probe("clone3", syscall(SYS_clone3, NULL, 0));
    probe("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
    probe("personality_no_aslr", personality(ADDR_NO_RANDOMIZE));
    probe("personality_query", personality(0xffffffff));
    probe("clock_settime", syscall(SYS_clock_settime, 0, NULL));
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    int status = 0;
    probe("fork", child > 0 && waitpid(child, &status, 0) == child && WEXITSTATUS(status) == 7 ? 0 : -1);
    printf("probes-done\n");
    return 0;
}
