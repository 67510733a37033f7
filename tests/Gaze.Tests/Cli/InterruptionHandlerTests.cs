using System.Runtime.InteropServices;
using Gaze.Cli;

namespace Gaze.Tests.Cli;

/// <summary>
/// What <see cref="Interruption"/> does with a signal, without a real one (the child-process tests send real ones):
/// an observing command's token is cancelled and the command stops itself; any other command, and a second signal,
/// end the process with one line and exit 130 (143 for SIGTERM).
/// </summary>
public sealed class InterruptionHandlerTests
{
    private readonly StringWriter error = new();
    private readonly List<int> exits = [];

    [Theory]
    [InlineData(PosixSignal.SIGINT, 130)]
    [InlineData(PosixSignal.SIGTERM, 143)]
    public void A_command_that_does_not_observe_ends_at_once_with_one_line(PosixSignal signal, int code)
    {
        using var interruption = new Interruption(error, listen: false, exits.Add);

        interruption.Handle(signal);

        Assert.Equal([code], exits);
        Assert.Equal("gaze: interrupted", Assert.Single(Lines()));
    }

    [Fact]
    public void An_observing_command_is_cancelled_and_left_to_stop_itself()
    {
        using var interruption = new Interruption(error, listen: false, exits.Add);
        CancellationToken token = interruption.Observe();
        bool aborted = false;
        interruption.Abort = () => aborted = true;

        interruption.Handle(PosixSignal.SIGTERM);

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(143, interruption.ExitCode);
        Assert.Empty(exits);
        Assert.False(aborted);
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void A_second_signal_aborts_and_ends_at_once_with_the_first_signals_code()
    {
        using var interruption = new Interruption(error, listen: false, exits.Add);
        interruption.Observe();
        int aborted = 0;
        interruption.Abort = () => aborted++;

        interruption.Handle(PosixSignal.SIGTERM);
        interruption.Handle(PosixSignal.SIGINT);

        Assert.Equal(1, aborted);
        Assert.Equal([143], exits);
        Assert.Equal("gaze: interrupted again; stopped at once", Assert.Single(Lines()));
    }

    [Fact]
    public void A_failing_abort_still_ends_the_process()
    {
        using var interruption = new Interruption(error, listen: false, exits.Add);
        interruption.Abort = () => throw new IOException("the folder is gone already");

        interruption.Handle(PosixSignal.SIGINT);

        Assert.Equal([130], exits);
        Assert.Equal("gaze: interrupted", Assert.Single(Lines()));
    }

    private string[] Lines() => error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
