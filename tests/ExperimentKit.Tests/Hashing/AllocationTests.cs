namespace ExperimentKit.Tests.Hashing;

public class AllocationTests
{
    private static readonly Guid RunGuid = new("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public void A_typical_write_and_hash_allocates_nothing()
    {
        ulong first = WriteTypicalAndHash(stackBytes: 512);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong second = WriteTypicalAndHash(stackBytes: 512);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first, second);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Growing_into_pooled_buffers_allocates_nothing_once_the_pool_is_warm()
    {
        ulong first = WriteTypicalAndHash(stackBytes: 16);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong second = WriteTypicalAndHash(stackBytes: 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(first, second);
        Assert.Equal(0, allocated);
        Assert.Equal(WriteTypicalAndHash(stackBytes: 512), second);
    }

    /// <summary>What generated code does for a record with the common member kinds.</summary>
    private static ulong WriteTypicalAndHash(int stackBytes)
    {
        Span<byte> buffer = stackalloc byte[stackBytes];
        var w = new CanonicalJsonWriter(buffer);
        try
        {
            w.WriteStartObject();
            w.WritePropertyName("\"batch\""u8);
            w.WriteInteger(128L);
            w.WritePropertyName("\"created\""u8);
            w.WriteDateTime(new DateTime(2024, 3, 5, 6, 7, 8, DateTimeKind.Utc));
            w.WritePropertyName("\"dropout\""u8);
            w.WriteSingle(0.1f);
            w.WritePropertyName("\"dt\""u8);
            w.WriteDouble(0.1 + 0.2);
            w.WritePropertyName("\"id\""u8);
            w.WriteGuid(RunGuid);
            w.WritePropertyName("\"layers\""u8);
            w.WriteStartArray();
            w.WriteInteger(64L);
            w.WriteInteger(32L);
            w.WriteEndArray();
            w.WritePropertyName("\"lr\""u8);
            w.WriteDecimal(0.001m);
            w.WritePropertyName("\"model\""u8);
            w.WriteStartObject();
            w.WritePropertyName("\"name\""u8);
            w.WriteString("resnet-\u00e9\t\"50\"");
            w.WritePropertyName("\"seed\""u8);
            w.WriteNull();
            w.WritePropertyName("\"tags\""u8);
            w.WriteStartSet();
            w.WriteString("vision");
            w.WriteString("baseline");
            w.WriteString("small");
            w.WriteEndSet();
            w.WriteEndObject();
            w.WritePropertyName("\"timeout\""u8);
            w.WriteTimeSpan(TimeSpan.FromMinutes(90));
            w.WritePropertyName("\"tiny\""u8);
            w.WriteDouble(1234567890125.0); // exact 13-digit tie: the exact comparison path
            w.WritePropertyName("\"use_amp\""u8);
            w.WriteBoolean(true);
            w.WriteEndObject();
            return ParamsHash.Compute(w.WrittenSpan).Value;
        }
        finally
        {
            w.Dispose();
        }
    }
}
