using TorchSharp;
var x = TorchSharp.torch.randn(2, 3);
Console.WriteLine(x.sum().item<float>());
