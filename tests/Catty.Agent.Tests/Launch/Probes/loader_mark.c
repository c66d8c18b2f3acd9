/* Loaded through a loader variable, it records which process loaded it: in HOST_MARKS when that folder is
 * reachable (a host-side process), else in the sandbox's workspace. Also a valid LD_AUDIT module. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        (void)!write(fd, text, strlen(text));
        close(fd);
    }
}

__attribute__((constructor)) static void mark(void)
{
    char comm[64] = {0};
    int fd = open("/proc/self/comm", O_RDONLY);
    if (fd >= 0) {
        (void)!read(fd, comm, sizeof comm - 1);
        close(fd);
    }
    if (access(HOST_MARKS, W_OK) == 0)
        append(HOST_MARKS "/ran", comm);
    else
        append("/workspace/inside.mark", comm);
}

unsigned int la_version(unsigned int version) { return version; }
