using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Catty.Testing;

/// <summary>
/// Everything a child process prints, standard output and error together, and waiting for a pattern in it
/// with a deadline; a process that exits first, or a deadline that passes, fails with what it printed.
/// Attach before <c>Start</c>, then call <c>BeginOutputReadLine</c> and <c>BeginErrorReadLine</c>.
/// </summary>
public sealed class ProcessOutput
{
    private readonly Process _process;
    private readonly string _name;
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ProcessOutput(Process process, string name)
    {
        _process = process;
        _name = name;
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => Append(null);
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public async Task<Match> WaitForAsync(Regex pattern, string what, TimeSpan? limit = null)
    {
        var deadlineAfter = limit ?? Deadline.Default;
        using var deadline = new CancellationTokenSource(deadlineAfter);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var match = pattern.Match(_text.ToString());
                if (match.Success)
                {
                    return match;
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{_name} exited ({_process.ExitCode}) before {what}. It printed:\n{_text}");
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {what} within {deadlineAfter.TotalSeconds} s. {_name} printed:\n{Text}");
            }
        }
    }

    private void Append(string? line)
    {
        lock (_gate)
        {
            if (line is not null)
            {
                _text.AppendLine(line);
            }

            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.SetResult();
        }
    }
}
