using Gaze.Errors;
using Gaze.Models;

namespace Gaze.Tests.Models;

public class ModelInputTests
{
    [Fact]
    public void Defaults_are_the_torchvision_imagenet_convention()
    {
        var input = ModelInput.Default;
        Assert.Equal(new InputSize(224, 224), input.Size);
        Assert.Equal(TensorLayout.NCHW, input.Layout);
        Assert.Equal(ChannelOrder.RGB, input.Channels);
        Assert.Equal(1, input.Range);
        Assert.Equal([0.485, 0.456, 0.406], input.Mean);
        Assert.Equal([0.229, 0.224, 0.225], input.Std);
        Assert.Equal(ResizeMode.CenterCrop, input.Resize);
        Assert.Same(input, input.Validate());
        Assert.Equal(new long[] { 2, 3, 224, 224 }, input.TensorShape(2));
        Assert.Equal(new long[] { 1, 224, 224, 3 }, (input with { Layout = TensorLayout.NHWC }).TensorShape(1));
    }

    [Fact]
    public void Records_compare_mean_and_std_by_value_and_keep_their_own_copy()
    {
        double[] mean = [104, 117, 123];
        var a = ModelInput.Default with { Mean = mean };
        var b = ModelInput.Default with { Mean = [104, 117, 123] };
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        mean[0] = 0;
        Assert.Equal(104, a.MeanOf(0));
        Assert.NotEqual(a, a with { Std = [1] });
    }

    [Fact]
    public void One_mean_and_std_apply_to_every_channel()
    {
        var input = ModelInput.Default with { Range = 255, Mean = [128], Std = [64] };
        Assert.Equal((128.0, 128.0, 128.0), (input.MeanOf(0), input.MeanOf(1), input.MeanOf(2)));
        Assert.Equal(64, input.StdOf(2));
        Assert.Equal((-2.0, (255 - 128) / 64.0), input.ValueBounds(1));
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("std")]
    [InlineData("range")]
    [InlineData("size")]
    public void Validation_names_the_field(string field)
    {
        var input = field switch
        {
            "mean" => ModelInput.Default with { Mean = [1, 2] },
            "std" => ModelInput.Default with { Std = [0.2, 0, 0.2] },
            "range" => ModelInput.Default with { Range = 2 },
            _ => ModelInput.Default with { Size = new InputSize(0, 224) },
        };
        var sidecarError = Assert.Throws<InvalidOptionException>(() => input.Validate());
        Assert.Equal("input." + field, sidecarError.Option);
        Assert.StartsWith($"input.{field}: ", sidecarError.Message);
        var optionError = Assert.Throws<InvalidOptionException>(() => input.Validate("--"));
        Assert.Equal("--" + field, optionError.Option);
    }

    [Fact]
    public void Gray_needs_one_mean()
    {
        var error = Assert.Throws<InvalidOptionException>(() => (ModelInput.Default with { Channels = ChannelOrder.GRAY }).Validate());
        Assert.Equal("input.mean", error.Option);
        Assert.Contains("GRAY", error.Message);
    }

    [Fact]
    public void Overrides_replace_only_what_is_given()
    {
        var caffe = new ModelInputOverrides
        {
            Channels = "bgr", Range = "255", Mean = "104,117,123", Std = "1", Resize = "stretch", Size = "227",
        }.ApplyTo(ModelInput.Default);
        Assert.Equal(
            ModelInput.Default with
            {
                Channels = ChannelOrder.BGR,
                Range = 255,
                Mean = [104, 117, 123],
                Std = [1],
                Resize = ResizeMode.Stretch,
                Size = InputSize.Square(227),
            },
            caffe);

        var sidecar = ModelInput.Default with { Range = 255, Mean = [1, 2, 3] };
        var resized = new ModelInputOverrides { Size = "160, 320", Layout = "nhwc", Std = "[2 4 8]" }.ApplyTo(sidecar);
        Assert.Equal(sidecar with { Size = new InputSize(160, 320), Layout = TensorLayout.NHWC, Std = [2, 4, 8] }, resized);
        Assert.Same(sidecar, new ModelInputOverrides().ApplyTo(sidecar));
        Assert.True(new ModelInputOverrides().IsEmpty);
    }

    [Theory]
    [InlineData("--size", "224x", null, null)]
    [InlineData("--size", "1,2,3", null, null)]
    [InlineData("--layout", null, "CHW", null)]
    [InlineData("--mean", null, null, "0.5,abc")]
    public void Bad_override_names_the_option(string option, string? size, string? layout, string? mean)
    {
        var overrides = new ModelInputOverrides { Size = size, Layout = layout, Mean = mean };
        var error = Assert.Throws<InvalidOptionException>(() => overrides.ApplyTo(ModelInput.Default));
        Assert.Equal(option, error.Option);
    }

    [Fact]
    public void A_channel_order_that_does_not_fit_the_sidecars_mean_names_channels_not_mean()
    {
        var sidecar = ModelInput.Default with { Channels = ChannelOrder.BGR, Range = 255, Mean = [104, 117, 123], Std = [1] };

        var error = Assert.Throws<InvalidOptionException>(() => new ModelInputOverrides { Channels = "GRAY" }.ApplyTo(sidecar));

        Assert.Equal("--channels", error.Option);
        Assert.Contains("give --mean and --std", error.Message);
        var gray = new ModelInputOverrides { Channels = "GRAY", Mean = "110", Std = "1" }.ApplyTo(sidecar);
        Assert.Equal(ChannelOrder.GRAY, gray.Channels);
        // A mean given with the wrong count is still the --mean option's fault.
        Assert.Equal("--mean", Assert.Throws<InvalidOptionException>(() => new ModelInputOverrides { Channels = "GRAY", Mean = "1,2,3" }.ApplyTo(sidecar)).Option);
    }
}
