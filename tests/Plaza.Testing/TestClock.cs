namespace Plaza.Testing;

/// <summary>
/// A clock the test sets. Used where the behaviour under test is about a particular moment
/// (a daylight-saving day, the edge of opening hours); everything else runs on real time.
/// </summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = now;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Set(DateTimeOffset value)
    {
        lock (gate)
        {
            now = value;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
