using Gaze.Datasets;

namespace Gaze.Tests.Datasets;

public class DeterministicRandomTests
{
    [Fact]
    public void SplitMix64_matches_the_reference_sequence_from_seed_zero()
    {
        // The first outputs of SplitMix64 seeded with 0, as published with the algorithm (and Java's SplittableRandom).
        var expander = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, expander.Next());
        Assert.Equal(0x6E789E6AA1B965F4UL, expander.Next());
        Assert.Equal(0x06C45D188009454FUL, expander.Next());
    }

    [Fact]
    public void Xoshiro256StarStar_matches_the_reference_outputs_from_state_1_2_3_4()
    {
        var random = new DeterministicRandom(1, 2, 3, 4);
        Assert.Equal(11520UL, random.NextUInt64());
        Assert.Equal(0UL, random.NextUInt64());
        Assert.Equal(1509978240UL, random.NextUInt64());
        Assert.Equal(1215971899390074240UL, random.NextUInt64());
    }

    [Fact]
    public void The_same_seed_and_index_give_the_same_stream_and_others_differ()
    {
        ulong[] Take(DeterministicRandom random) => Enumerable.Range(0, 8).Select(_ => random.NextUInt64()).ToArray();

        Assert.Equal(Take(DeterministicRandom.ForItem(7, 3)), Take(DeterministicRandom.ForItem(7, 3)));
        Assert.NotEqual(Take(DeterministicRandom.ForItem(7, 3)), Take(DeterministicRandom.ForItem(7, 4)));
        Assert.NotEqual(Take(DeterministicRandom.ForItem(7, 3)), Take(DeterministicRandom.ForItem(8, 3)));
        // Seed and index must not be interchangeable.
        Assert.NotEqual(Take(DeterministicRandom.ForItem(3, 7)), Take(DeterministicRandom.ForItem(7, 3)));
    }

    [Fact]
    public void Numbers_stay_in_their_ranges_and_cover_them()
    {
        var random = new DeterministicRandom(42);
        var counts = new int[6];
        double sum = 0;
        const int draws = 60_000;
        for (int i = 0; i < draws; i++)
        {
            double u = random.NextDouble();
            Assert.True(u is >= 0 and < 1, $"{u} is outside [0, 1)");
            sum += u;
            int k = random.NextInt(6);
            Assert.InRange(k, 0, 5);
            counts[k]++;
            Assert.InRange(random.Uniform(-2, 3), -2.0, 3.0);
            Assert.InRange(random.NextInt(10, 13), 10, 12);
        }
        Assert.InRange(sum / draws, 0.49, 0.51);
        // Each face of the die near 1/6 (10,000 expected; 5 standard deviations is about 460).
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Shuffle_is_a_permutation_and_repeatable()
    {
        int[] Shuffled(ulong seed)
        {
            var items = Enumerable.Range(0, 50).ToArray();
            new DeterministicRandom(seed).Shuffle<int>(items);
            return items;
        }

        var once = Shuffled(5);
        Assert.Equal(Enumerable.Range(0, 50), once.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), once);
        Assert.Equal(once, Shuffled(5));
        Assert.NotEqual(once, Shuffled(6));
    }
}
