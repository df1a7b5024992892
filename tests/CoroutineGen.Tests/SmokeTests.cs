namespace CoroutineGen.Tests;

public class SmokeTests
{
    [Fact]
    public void Inbox_receive_at_run_time_explains_why_it_cannot_work()
    {
        var method = typeof(Inbox<int>).GetMethod("Receive")!;
        var ctor = typeof(Inbox<int>).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)[0];
        var inbox = (Inbox<int>)ctor.Invoke(null);
#pragma warning disable CORO0003 // calling Receive outside a template is what this test checks
        var error = Assert.Throws<InvalidOperationException>(() => inbox.Receive());
#pragma warning restore CORO0003
        Assert.Contains("only the code CoroutineGen generates", error.Message);
    }
}
